package org.travelingwords.sphere;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.functions;
import org.travelingwords.exec.GroupPlacement;
import org.travelingwords.exec.WindowBatcher;
import org.travelingwords.exec.WindowKey;
import scala.Tuple2;

/**
 * The windows of a run and their batch assignment: counts per length bucket (one small
 * aggregation), then each window's (bucket, group), then a shuffle that keeps every group whole
 * inside one partition, balances partitions by tokens, and sorts for the batch assembler.
 */
public final class WindowPlan {

    private final Dataset<Row> usable;
    private final WindowBatcher batcher;
    private final List<GroupPlacement.Group> groups;
    private final long windows;
    private final long tokens;

    private WindowPlan(Dataset<Row> usable, WindowBatcher batcher, List<GroupPlacement.Group> groups, long windows,
                       long tokens) {
        this.usable = usable;
        this.batcher = batcher;
        this.groups = groups;
        this.windows = windows;
        this.tokens = tokens;
    }

    /** Four full batches per group once there are enough batches to keep every partition busy with several groups. */
    private static final int BATCHES_PER_GROUP = 4;

    public static WindowPlan of(Dataset<Row> usableWindows, int blockSize, int batchTokens, int partitions) {
        int quantum = WindowBatcher.quantumFor(blockSize);
        List<Row> buckets = usableWindows
                .withColumn("b", functions.expr("CAST(CEIL(length / " + quantum + ") * " + quantum + " AS INT)"))
                .groupBy("b").agg(functions.count("*").as("n"), functions.sum("length").as("tokens"))
                .collectAsList();
        long batches = 0;
        for (Row r : buckets) {
            batches += WindowBatcher.groupsFor(r.getLong(1), r.getInt(0), batchTokens, 1);
        }
        int batchesPerGroup = batches >= 2L * BATCHES_PER_GROUP * partitions ? BATCHES_PER_GROUP : 1;
        Map<Integer, Integer> groupsPerBucket = new HashMap<>();
        List<GroupPlacement.Group> groups = new ArrayList<>();
        long windows = 0;
        long tokens = 0;
        for (Row r : buckets) {
            int bucket = r.getInt(0);
            int count = WindowBatcher.groupsFor(r.getLong(1), bucket, batchTokens, batchesPerGroup);
            groupsPerBucket.put(bucket, count);
            for (int g = 0; g < count; g++) {
                groups.add(new GroupPlacement.Group(bucket, g, (double) r.getLong(2) / count));
            }
            windows += r.getLong(1);
            tokens += r.getLong(2);
        }
        return new WindowPlan(usableWindows, new WindowBatcher(quantum, batchTokens, groupsPerBucket), groups,
                windows, tokens);
    }

    public WindowBatcher batcher() {
        return batcher;
    }

    public long windows() {
        return windows;
    }

    public long tokens() {
        return tokens;
    }

    /**
     * Windows with (bucket, group), each group whole in one partition and the partitions balanced
     * by tokens, sorted as the runner reads them: by group, then (doc_id, window_idx).
     */
    public JavaRDD<Row> assigned(int partitions) {
        WindowBatcher b = batcher;
        return usable.javaRDD()
                .mapToPair(row -> {
                    int length = row.getInt(2);
                    int bucket = b.bucket(length);
                    int group = b.group(bucket, row.getString(0), row.getInt(1));
                    Row assigned = new GenericRowWithSchema(
                            new Object[] {row.get(0), row.get(1), length, row.get(3), bucket, group}, WindowColumns.ASSIGNED);
                    return new Tuple2<>(new WindowKey(bucket, group, row.getString(0), row.getInt(1)), assigned);
                })
                .repartitionAndSortWithinPartitions(GroupPlacement.place(groups, partitions))
                .values();
    }
}
