package org.travelingwords.pass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchGroupsTest {

    private static final int BLOCK = 256;
    private static final int BATCH_TOKENS = 2048;

    /** Windows of a corpus like the benchmark's: full blocks, and one shorter tail per document. */
    private record Window(String docId, int windowIdx, int length) {}

    private static List<Window> corpus(int documents, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Window> windows = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            int tokens = 40 + random.nextInt(800);
            for (int w = 0; w * BLOCK < tokens; w++) {
                windows.add(new Window("doc-" + d, w, Math.min(BLOCK, tokens - w * BLOCK)));
            }
        }
        return windows;
    }

    /** What the plan's aggregation collects: windows and tokens per (bucket, slot). */
    private static Map<Integer, List<SlotPacking.Slot>> slotCounts(List<Window> windows) {
        int quantum = WindowBatcher.quantumFor(BLOCK);
        Map<Long, long[]> counts = new HashMap<>();
        for (Window w : windows) {
            long key = ((long) WindowBatcher.bucketOf(w.length(), quantum) << 32) | WindowBatcher.slot(w.docId(), w.windowIdx());
            long[] c = counts.computeIfAbsent(key, k -> new long[2]);
            c[0]++;
            c[1] += w.length();
        }
        Map<Integer, List<SlotPacking.Slot>> byBucket = new TreeMap<>();
        counts.forEach((key, c) -> byBucket.computeIfAbsent((int) (key >>> 32), b -> new ArrayList<>())
                .add(new SlotPacking.Slot((int) (key & 0xffffffffL), c[0], c[1])));
        return byBucket;
    }

    @ParameterizedTest
    @CsvSource({"60, 2", "130, 2", "130, 5", "2000, 8"})
    void partitionsGetTheSameTokensWithinABatch(int documents, int partitions) {
        List<Window> windows = corpus(documents, 11);
        BatchGroups plan = BatchGroups.plan(slotCounts(windows), BATCH_TOKENS);
        WindowBatcher batcher = new WindowBatcher(WindowBatcher.quantumFor(BLOCK), BATCH_TOKENS, plan.groupOfSlot());
        GroupPlacement placement = GroupPlacement.place(plan.groups(), partitions);

        // the real windows, routed the way the job routes them: tokens and batches per partition
        long[] tokens = new long[partitions];
        Map<Long, Integer> rowsPerGroup = new HashMap<>();
        for (Window w : windows) {
            int bucket = batcher.bucket(w.length());
            int group = batcher.group(bucket, w.docId(), w.windowIdx());
            tokens[placement.getPartition(new WindowKey(bucket, group, w.docId(), w.windowIdx()))] += w.length();
            rowsPerGroup.merge(((long) bucket << 32) | group, 1, Integer::sum);
        }
        long total = windows.stream().mapToLong(Window::length).sum();
        assertEquals(total, plan.tokens());
        assertEquals(windows.size(), plan.windows());
        long largestGroup = plan.groups().stream().mapToLong(GroupPlacement.Group::tokens).max().orElseThrow();
        long mean = total / partitions;
        for (long t : tokens) {
            // LPT: no partition is more than one group above or below the mean
            assertTrue(Math.abs(t - mean) <= largestGroup, () -> "loads " + Arrays.toString(tokens));
        }
        // one batch per group: none over the budget (no slot holds more windows than a batch here)
        rowsPerGroup.forEach((key, rows) -> assertTrue(rows <= WindowBatcher.rowsPerBatch((int) (key >>> 32), BATCH_TOKENS),
                () -> "group " + key + " has " + rows + " rows"));
        assertEquals(plan.groups().size(), rowsPerGroup.size(), "every planned group gets its windows");
    }

    @Test
    void thePlanDoesNotDependOnTheOrderCountsArriveIn() {
        // collect() returns the counts in an order that depends on Spark's partitioning
        Map<Integer, List<SlotPacking.Slot>> counts = slotCounts(corpus(300, 5));
        Map<Integer, List<SlotPacking.Slot>> shuffled = new HashMap<>();
        counts.forEach((bucket, slots) -> {
            List<SlotPacking.Slot> copy = new ArrayList<>(slots);
            Collections.shuffle(copy, new Random(bucket));
            shuffled.put(bucket, copy);
        });
        BatchGroups plan = BatchGroups.plan(counts, BATCH_TOKENS);
        BatchGroups again = BatchGroups.plan(shuffled, BATCH_TOKENS);
        assertEquals(Set.copyOf(plan.groups()), Set.copyOf(again.groups()));
        plan.groupOfSlot().forEach((bucket, groups) -> assertArrayEquals(groups, again.groupOfSlot().get(bucket)));
    }
}
