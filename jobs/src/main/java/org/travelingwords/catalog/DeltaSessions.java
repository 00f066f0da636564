package org.travelingwords.catalog;

import org.apache.spark.sql.SparkSession;

/**
 * What every Spark session of the project needs for its Delta Lake tables (DESIGN §7): Delta's SQL
 * extension (RESTORE, VACUUM, OPTIMIZE, DESCRIBE HISTORY) and catalog, Parquet timestamps that
 * any reader understands (INT64 micros, not Spark's legacy INT96), and a log replay sized for small tables. Every command, the tests and the
 * benchmark build their session through here.
 */
public final class DeltaSessions {

    private DeltaSessions() {}

    public static SparkSession.Builder configure(SparkSession.Builder builder) {
        return builder
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                // Rebuilding a table's state from its log is a shuffle with this many tasks at every commit and
                // read. The tables are aggregates with a few files per run: Delta's 50 made each commit ~50 tasks.
                .config("spark.databricks.delta.snapshotPartitions", "4");
    }
}
