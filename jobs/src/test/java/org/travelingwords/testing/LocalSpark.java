package org.travelingwords.testing;

import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.DeltaSessions;

/**
 * The local[2] session Spark tests share (DESIGN §8: one per test class; call {@link #start()} in
 * {@code @BeforeAll} and {@link #stop()} in {@code @AfterAll}). Small shuffles keep tests fast.
 */
public final class LocalSpark {

    private LocalSpark() {}

    public static SparkSession start() {
        return DeltaSessions.configure(SparkSession.builder())
                .master("local[2]")
                .appName("traveling-words-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                // tables of a few rows: one task per Delta log replay instead of production's four
                .config("spark.databricks.delta.snapshotPartitions", "1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                // The fault-injection file system of the catalog tests, and Delta's log store for its scheme.
                .config("spark.hadoop.fs.faulty.impl", "org.travelingwords.catalog.FaultyFileSystem")
                .config("spark.hadoop.fs.faulty.impl.disable.cache", "true")
                .config("spark.delta.logStore.faulty.impl", "io.delta.storage.LocalLogStore")
                .getOrCreate();
    }

    public static void stop() {
        SparkSession.active().stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }
}
