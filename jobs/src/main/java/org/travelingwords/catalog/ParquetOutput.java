package org.travelingwords.catalog;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.RuntimeConfig;

/** Writes Parquet that any reader understands, not only Spark. */
final class ParquetOutput {

    private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";

    private ParquetOutput() {}

    /**
     * Replaces {@code dir} with the rows as Parquet files. Timestamps are written as standard
     * INT64 TIMESTAMP(MICROS) rather than Spark's legacy INT96, which other readers misread; the
     * setting is a session one, so it is set for this write and put back after.
     */
    static void write(SparkSession spark, Dataset<Row> rows, Path dir) {
        RuntimeConfig conf = spark.conf();
        String before = conf.getOption(TIMESTAMP_TYPE).getOrElse(() -> null);
        conf.set(TIMESTAMP_TYPE, "TIMESTAMP_MICROS");
        try {
            rows.write().mode(SaveMode.Overwrite).parquet(dir.toString());
        } finally {
            if (before == null) {
                conf.unset(TIMESTAMP_TYPE);
            } else {
                conf.set(TIMESTAMP_TYPE, before);
            }
        }
    }
}
