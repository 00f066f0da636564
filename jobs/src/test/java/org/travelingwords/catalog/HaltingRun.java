package org.travelingwords.catalog;

import org.apache.spark.sql.SparkSession;
import org.travelingwords.testing.LocalSpark;

/**
 * A driver for {@link RunLifecycleTest} in a JVM of its own: runs {@link RunLifecycleTest#threeTables} into
 * the out folder given, with {@code -Dtw.test.haltAfterCommits=k} making it halt as under kill -9.
 */
public final class HaltingRun {

    private HaltingRun() {}

    public static void main(String[] args) throws Exception {
        String out = args[0];
        String runId = args[1];
        SparkSession spark = LocalSpark.start();
        new RunLifecycle(spark, out, new RunStamp(runId, RunLifecycleTest.D1), "test", "test")
                .run(RunLifecycleTest.threeTables(spark, runId, 5));
        LocalSpark.stop();
    }
}
