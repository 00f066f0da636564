package org.travelingwords.pass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The windows of a run and their batch assignment: counts per (length bucket, hash slot) (one
 * small aggregation), slots packed into groups of a batch ({@link BatchGroups}), then each
 * window's (bucket, group) and a shuffle that keeps every group whole inside one partition,
 * balances partitions by the groups' token counts, and sorts for the batch assembler.
 */
public final class WindowPlan {

    private static final Logger LOG = LoggerFactory.getLogger(WindowPlan.class);

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

    public static WindowPlan of(Dataset<Row> usableWindows, int blockSize, int batchTokens) {
        int quantum = WindowBatcher.quantumFor(blockSize);
        BatchGroups groups = BatchGroups.plan(slotCounts(usableWindows, quantum), batchTokens);
        LOG.info("plan: {} windows, {} tokens in {} batch groups", groups.windows(), groups.tokens(),
                groups.groups().size());
        return new WindowPlan(usableWindows, new WindowBatcher(quantum, batchTokens, groups.groupOfSlot()),
                groups.groups(), groups.windows(), groups.tokens());
    }

    /** Windows and tokens per (length bucket, hash slot): one small aggregation, collected on the driver. */
    private static Map<Integer, List<SlotPacking.Slot>> slotCounts(Dataset<Row> usableWindows, int quantum) {
        List<Tuple2<Tuple2<Integer, Integer>, long[]>> counts = usableWindows
                .select(WindowColumns.DOC_ID, WindowColumns.WINDOW_IDX, WindowColumns.LENGTH).javaRDD()
                .mapToPair(row -> {
                    int length = row.getInt(row.fieldIndex(WindowColumns.LENGTH));
                    int slot = WindowBatcher.slot(row.getString(row.fieldIndex(WindowColumns.DOC_ID)),
                            row.getInt(row.fieldIndex(WindowColumns.WINDOW_IDX)));
                    return new Tuple2<>(new Tuple2<>(WindowBatcher.bucketOf(length, quantum), slot), new long[] {1, length});
                })
                .reduceByKey((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]})
                .collect();
        Map<Integer, List<SlotPacking.Slot>> slotsByBucket = new TreeMap<>();
        for (Tuple2<Tuple2<Integer, Integer>, long[]> c : counts) {
            slotsByBucket.computeIfAbsent(c._1()._1(), b -> new ArrayList<>())
                    .add(new SlotPacking.Slot(c._1()._2(), c._2()[0], c._2()[1]));
        }
        return slotsByBucket;
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
                    String docId = row.getString(row.fieldIndex(WindowColumns.DOC_ID));
                    int windowIdx = row.getInt(row.fieldIndex(WindowColumns.WINDOW_IDX));
                    int length = row.getInt(row.fieldIndex(WindowColumns.LENGTH));
                    int bucket = b.bucket(length);
                    int group = b.group(bucket, docId, windowIdx);
                    Row assigned = new GenericRowWithSchema(new Object[] {docId, windowIdx, length,
                            row.get(row.fieldIndex(WindowColumns.TOKENS)), bucket, group}, WindowColumns.ASSIGNED);
                    return new Tuple2<>(new WindowKey(bucket, group, docId, windowIdx), assigned);
                })
                .repartitionAndSortWithinPartitions(GroupPlacement.place(groups, partitions))
                .values();
    }
}
