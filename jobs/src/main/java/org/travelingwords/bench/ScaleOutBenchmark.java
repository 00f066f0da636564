package org.travelingwords.bench;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.DeltaSessions;
import org.travelingwords.cluster.ExecutorEnvironment;
import org.travelingwords.cluster.StandaloneCluster;

/**
 * The sphere job on a real standalone cluster of single-core Workers (separate JVMs on 127.0.0.1,
 * started from the build's Spark jars), driven from this JVM with the application jar. Each cluster
 * first runs an untimed warm-up that starts every executor and loads the model in it, then times the
 * job at two corpus sizes ({@link JobBenchmark#twoSizes}), so that the speed-up compares steady-state
 * rates, apart from each run's fixed seconds (Delta commits, scheduling) that more Workers don't shorten.
 *
 * @param buildDir the jobs module's target folder: spark-classpath.txt and traveling-words-app.jar
 * @param job      the job, its model readable from every executor
 */
public record ScaleOutBenchmark(Path buildDir, JobBenchmark job) {

    /** Fails, saying how to build it, when {@code buildDir} has no application jar (checked before any timing). */
    public static void requireBuild(Path buildDir) throws FileNotFoundException {
        if (!Files.isRegularFile(appJar(buildDir))) {
            throw new FileNotFoundException(appJar(buildDir) + " is missing: the executors load our classes from it; "
                    + "`./mvnw -DskipTests package` builds it");
        }
    }

    /** A fresh cluster of {@code workers} Workers, the warm-up, then the timed runs over both corpora. */
    public JobBenchmark.TwoSizes run(int workers, Path warmUpCorpus, Path smaller, Path larger, int repeats, Path out)
            throws Exception {
        Path appJar = appJar(buildDir);
        try (StandaloneCluster cluster = StandaloneCluster.start(buildDir.resolve("spark-classpath.txt"),
                buildDir.resolve("bench-cluster"), workers)) {
            SparkSession spark = ExecutorEnvironment.configure(DeltaSessions.configure(SparkSession.builder()))
                    .master(cluster.masterUrl()).appName("tw-bench-scale-out-" + workers)
                    .config("spark.jars", appJar.toString())
                    .config("spark.driver.host", "127.0.0.1").config("spark.ui.enabled", "false")
                    // all a Worker offers: GPT-2 124M's weights (0.5 GB in fp32) pass through the executor's heap
                    .config("spark.executor.cores", "1").config("spark.executor.memory", "2g")
                    .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true")
                    // every executor registered before the first job, and tasks go to whichever is free
                    .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                    .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "180s")
                    .config("spark.locality.wait", "0s")
                    .getOrCreate();
            try {
                spark.sparkContext().setLogLevel("WARN");
                job.run(spark, warmUpCorpus, out.resolve("warm-up"), List.of("sphere"));
                return job.twoSizes(spark, smaller, larger, out.resolve("timed"), List.of("sphere"), repeats);
            } finally {
                spark.stop();
            }
        }
    }

    private static Path appJar(Path buildDir) {
        return buildDir.resolve("traveling-words-app.jar");
    }
}
