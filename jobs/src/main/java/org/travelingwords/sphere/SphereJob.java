package org.travelingwords.sphere;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.travelingwords.attention.HeadAggregates;
import org.travelingwords.exec.JobCounters;
import org.travelingwords.exec.RunConfig;
import org.travelingwords.stats.KeyedSummaries;
import org.travelingwords.stats.TokenTravel;

/**
 * Corpus documents → windows → one forward per batch on the executors for every enabled analysis
 * → merged aggregates (DESIGN §1, §4, §5): the sphere statistics and token samples, and the head
 * aggregates. Turning them into tables is the caller's.
 */
public final class SphereJob {

    /**
     * What the analyses produced, and the window counts the {@code runs} row reports. {@code travel}
     * and {@code heads} are null when their analysis did not run or no window was usable.
     */
    public record Result(KeyedSummaries summaries, TokenTravel travel, HeadAggregates heads,
                         JavaRDD<PartitionResult> partitionResults, long windows, long windowsSkipped, long tokens) {

        /** The sampled token rows, read from the cached partition results (no second forward). */
        public JavaRDD<TokenSample> samples() {
            return partitionResults.flatMap(r -> r.samples().iterator());
        }

        /** Drops the cached partition results once the tables are written. */
        public void release() {
            partitionResults.unpersist(false);
        }
    }

    private final SparkSession spark;
    private final RunConfig config;
    private final JobCounters counters;

    public SphereJob(SparkSession spark, RunConfig config, JobCounters counters) {
        this.spark = spark;
        this.config = config;
        this.counters = counters;
    }

    /**
     * Runs the analysis over {@code documents} (doc_id, text, …). {@code onPlanned} learns the
     * window and token totals before the model stage starts (for progress and ETA).
     */
    public Result run(Dataset<Row> documents, java.util.function.LongConsumer onPlanned) {
        Dataset<Row> allWindows = documents
                .mapPartitions(new DocumentWindower(config.blockSize(), config.stride(), config.prependEos()),
                        Encoders.row(WindowColumns.WINDOWS))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> usable = allWindows.filter(WindowColumns.LENGTH + " >= 2");
            long skipped = allWindows.filter(WindowColumns.LENGTH + " < 2").count();
            WindowPlan plan = WindowPlan.of(usable, config.blockSize(), config.batchTokens());
            onPlanned.accept(plan.tokens());
            SpherePartitionRunner runner = new SpherePartitionRunner(config, plan.batcher(), counters);
            JavaRDD<PartitionResult> results = plan.assigned(partitions())
                    .mapPartitions(runner)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            PartitionResult merged = results.map(PartitionResult::withoutSamples)
                    .treeReduce(PartitionResult::merge, 2);
            return new Result(merged.summariesOrEmpty(), merged.travelOrNull(), merged.headsOrNull(), results,
                    plan.windows(), skipped, plan.tokens());
        } finally {
            allWindows.unpersist();
        }
    }

    private int partitions() {
        return config.partitions() > 0 ? config.partitions() : spark.sparkContext().defaultParallelism();
    }
}
