package org.travelingwords.pass;

import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Documents → windows → a plan of batches → one forward per batch on the executors for every
 * analysis → the partials merged (DESIGN §1). Turning them into tables is each analysis'.
 */
public final class CorpusPass {

    /**
     * What the pass produced, and the window counts the {@code runs} row reports; {@code tokens} is the
     * plan's, the merged result's {@link PartitionResult#counts()} what the model actually ran.
     */
    public record Result(PartitionResult merged, JavaRDD<PartitionResult> partitionResults, long windows,
                         long windowsSkipped, long tokens) {

        /** {@code analysis}' merged partial; null when no partition had a usable window. */
        public byte[] partial(String analysis) {
            return merged.partials().get(analysis);
        }

        /** {@code analysis}' per-token rows, read from the cached partition results (no second forward). */
        public JavaRDD<Row> rows(String analysis) {
            return partitionResults.flatMap(r -> r.rowsOf(analysis).iterator());
        }

        /** Drops the cached partition results once the tables are written. */
        public void release() {
            partitionResults.unpersist(false);
        }
    }

    /** Partition results held on the driver at once while merging (bounds its memory, not the job count). */
    private static final int MERGE_CHUNK = 16;

    private final SparkSession spark;
    private final RunConfig config;
    private final LongAccumulator progressTokens;

    /** {@code progressTokens}: the model stage adds its tokens there for the progress log, nothing else. */
    public CorpusPass(SparkSession spark, RunConfig config, LongAccumulator progressTokens) {
        this.spark = spark;
        this.config = config;
        this.progressTokens = progressTokens;
    }

    /**
     * Runs the analyses over {@code documents} (doc_id, text, …). {@code onPlanned} learns the
     * token total before the model stage starts (for progress and ETA).
     */
    public Result run(Dataset<Row> documents, LongConsumer onPlanned) {
        WindowSettings w = config.windows();
        Dataset<Row> allWindows = documents
                .mapPartitions(new DocumentWindower(w.blockSize(), w.stride(), w.prependEos()),
                        Encoders.row(WindowColumns.WINDOWS))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> usable = allWindows.filter(WindowColumns.LENGTH + " >= 2");
            long skipped = allWindows.filter(WindowColumns.LENGTH + " < 2").count();
            WindowPlan plan = WindowPlan.of(usable, w.blockSize(), w.batchTokens());
            onPlanned.accept(plan.tokens());
            List<CorpusAnalysis> analyses = config.analyses();
            JavaRDD<PartitionResult> results = plan.assigned(partitions())
                    .mapPartitions(new PartitionPass(config.model(), analyses, plan.batcher(), progressTokens))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            results.count(); // the model stage, on every executor at once; its results stay cached
            return new Result(mergeInOrder(results, analyses), results, plan.windows(), skipped, plan.tokens());
        } finally {
            allWindows.unpersist();
        }
    }

    /**
     * The partition results merged on the driver in partition order, {@link #MERGE_CHUNK} partitions per
     * job: floating-point sums depend on their order, and the same plan must give the same moments
     * whatever order the tasks finished in (a tree reduction merges in arrival order).
     */
    private static PartitionResult mergeInOrder(JavaRDD<PartitionResult> results, List<CorpusAnalysis> analyses) {
        JavaRDD<PartitionResult> partials = results.map(PartitionResult::withoutRows);
        int partitions = partials.getNumPartitions();
        PartitionResult merged = PartitionResult.EMPTY;
        for (int start = 0; start < partitions; start += MERGE_CHUNK) {
            int[] ids = IntStream.range(start, Math.min(partitions, start + MERGE_CHUNK)).toArray();
            for (List<PartitionResult> partition : partials.collectPartitions(ids)) {
                for (PartitionResult result : partition) {
                    merged = PartitionResult.merge(merged, result, analyses);
                }
            }
        }
        return merged;
    }

    private int partitions() {
        int partitions = config.windows().partitions();
        return partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
    }
}
