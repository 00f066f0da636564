package org.travelingwords.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class KeyedSummariesTest {

    private static final String SITE = "resid_post";
    private static final String METRIC = "norm";

    private static StatKey key(String bucket) {
        return new StatKey(3, SITE, METRIC, bucket);
    }

    @Test
    void assignsBucketsAndKeepsPositionZeroOutOfAll() {
        KeyedSummaries summaries = new KeyedSummaries();
        int[] positions = {0, 1, 2, 3, 4, 7, 8, 255};
        float[] values = {100, 1, 2, 3, 4, 5, 6, 7};
        summaries.update(3, SITE, METRIC, values, positions, positions.length);

        SortedMap<StatKey, MetricSummary> entries = summaries.entries();
        assertEquals(List.of(key("0"), key("1"), key("2-3"), key("4-7"), key("8-15"), key("128-255"), key("all")),
                new ArrayList<>(entries.keySet()));
        assertEquals(1, entries.get(key("0")).count());
        assertEquals(100.0, entries.get(key("0")).moments().mean());
        assertEquals(2, entries.get(key("2-3")).count());
        assertEquals(2.5, entries.get(key("2-3")).moments().mean());
        assertEquals(2, entries.get(key("4-7")).count());
        assertEquals(7.0, entries.get(key("128-255")).moments().max());

        MetricSummary all = entries.get(key("all"));
        assertEquals(7, all.count());
        assertEquals(4.0, all.moments().mean());
        assertEquals(1.0, all.moments().min());
        assertEquals(7.0, all.moments().max());
    }

    @Test
    void skipsNaNAndHonoursN() {
        KeyedSummaries summaries = new KeyedSummaries();
        summaries.update(0, SITE, METRIC, new float[] {Float.NaN, Float.NaN}, new int[] {0, 5}, 2);
        assertTrue(summaries.isEmpty());
        assertTrue(summaries.entries().isEmpty());

        summaries.update(0, SITE, METRIC, new float[] {Float.NaN, 2, 3, 99}, new int[] {1, 1, 2, 1}, 3);
        SortedMap<StatKey, MetricSummary> entries = summaries.entries();
        assertFalse(summaries.isEmpty());
        assertEquals(1, entries.get(new StatKey(0, SITE, METRIC, "1")).count());
        assertEquals(2.0, entries.get(new StatKey(0, SITE, METRIC, "1")).moments().mean());
        assertEquals(2, entries.get(new StatKey(0, SITE, METRIC, "all")).count());
        assertEquals(3, entries.size());

        assertThrows(IllegalArgumentException.class,
                () -> summaries.update(0, SITE, METRIC, new float[2], new int[1], 2));
        assertThrows(IllegalArgumentException.class,
                () -> summaries.update(0, SITE, METRIC, new float[] {1}, new int[] {-1}, 1));
    }

    /** One batch of random values for several series, positions 0..blockSize-1 repeated per row. */
    private static void addBatch(KeyedSummaries summaries, Random random, int rows, int blockSize) {
        int n = rows * blockSize;
        float[] values = new float[n];
        int[] positions = new int[n];
        for (int layer = 0; layer < 2; layer++) {
            for (String metric : new String[] {"norm", "scale"}) {
                for (int i = 0; i < n; i++) {
                    positions[i] = i % blockSize;
                    values[i] = random.nextInt(50) == 0 ? Float.NaN : (float) (10 + random.nextGaussian());
                }
                summaries.update(layer, SITE, metric, values, positions, n);
            }
        }
    }

    @Test
    void mergeIsInvariantToGroupingAndOrder() {
        Random random = new Random(7);
        List<KeyedSummaries> parts = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            KeyedSummaries part = new KeyedSummaries();
            addBatch(part, random, 1 + p, 64);
            parts.add(part);
        }
        KeyedSummaries inOrder = new KeyedSummaries();
        parts.forEach(inOrder::merge);

        // A tree of pairwise merges over a shuffled order, as Spark might do it.
        List<KeyedSummaries> level = new ArrayList<>();
        List<KeyedSummaries> shuffled = new ArrayList<>(parts);
        Collections.shuffle(shuffled, random);
        for (KeyedSummaries part : shuffled) {
            KeyedSummaries copy = KeyedSummaries.fromBytes(part.toBytes());
            level.add(copy);
        }
        while (level.size() > 1) {
            List<KeyedSummaries> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                KeyedSummaries left = level.get(i);
                if (i + 1 < level.size()) {
                    left.merge(level.get(i + 1));
                }
                next.add(left);
            }
            level = next;
        }
        KeyedSummaries tree = level.get(0);

        SortedMap<StatKey, MetricSummary> a = inOrder.entries();
        SortedMap<StatKey, MetricSummary> b = tree.entries();
        assertEquals(a.keySet(), b.keySet());
        assertEquals(2 * 2 * (PositionBuckets.labels(64).size()), a.size());
        for (Map.Entry<StatKey, MetricSummary> entry : a.entrySet()) {
            Moments x = entry.getValue().moments();
            Moments y = b.get(entry.getKey()).moments();
            assertEquals(x.count(), y.count(), entry.getKey().toString());
            assertEquals(x.mean(), y.mean(), 1e-12 * Math.abs(x.mean()), entry.getKey().toString());
            assertEquals(x.variance(), y.variance(), 1e-9 * x.variance(), entry.getKey().toString());
            assertEquals(x.min(), y.min());
            assertEquals(x.max(), y.max());
        }
        // Merging did not alias the parts: changing the merged result leaves a part alone.
        long before = parts.get(0).entries().get(new StatKey(0, SITE, "norm", "0")).count();
        inOrder.update(0, SITE, "norm", new float[] {1}, new int[] {0}, 1);
        assertEquals(before, parts.get(0).entries().get(new StatKey(0, SITE, "norm", "0")).count());
    }

    @Test
    void roundTripsThroughBytes() {
        KeyedSummaries summaries = new KeyedSummaries();
        addBatch(summaries, new Random(8), 4, 128);
        byte[] bytes = summaries.toBytes();
        for (KeyedSummaries copy : new KeyedSummaries[] {KeyedSummaries.fromBytes(bytes)}) {
            assertEquals(summaries.entries().keySet(), copy.entries().keySet());
            for (Map.Entry<StatKey, MetricSummary> entry : summaries.entries().entrySet()) {
                MetricSummary other = copy.entries().get(entry.getKey());
                assertEquals(entry.getValue().count(), other.count());
                assertEquals(entry.getValue().moments().mean(), other.moments().mean());
                if (!entry.getKey().bucket().equals(PositionBuckets.ALL)) {
                    // "all" is merged anew on each read, and KLL compactions flip coins.
                    assertArrayEquals(entry.getValue().sketchBytes(), other.sketchBytes());
                }
            }
            assertArrayEquals(bytes, copy.toBytes());
        }
        assertTrue(KeyedSummaries.fromBytes(new KeyedSummaries().toBytes()).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> KeyedSummaries.fromBytes(new byte[] {'K'}));
    }

    @Test
    void handlesAMillionValuesPerBatch() {
        int n = 1 << 20;
        float[] values = new float[n];
        int[] positions = new int[n];
        Random random = new Random(9);
        for (int i = 0; i < n; i++) {
            values[i] = random.nextFloat();
            positions[i] = i % 1024;
        }
        KeyedSummaries summaries = new KeyedSummaries();
        summaries.update(0, SITE, METRIC, values, positions, n);
        SortedMap<StatKey, MetricSummary> entries = summaries.entries();
        assertEquals(n / 1024, entries.get(new StatKey(0, SITE, METRIC, "0")).count());
        assertEquals(n - n / 1024, entries.get(new StatKey(0, SITE, METRIC, "all")).count());
        assertEquals(n / 2, entries.get(new StatKey(0, SITE, METRIC, "512-1023")).count());
        assertEquals(0.5, entries.get(new StatKey(0, SITE, METRIC, "all")).quantile(0.5), 0.02);
    }

    @Test
    void derivesAllWithTheBoundsOfASummaryFedEveryValue() {
        int n = 200_000;
        float[] values = new float[n];
        int[] positions = new int[n];
        Random random = new Random(10);
        MetricSummary direct = new MetricSummary();
        List<Float> pooled = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            positions[i] = i % 256;
            // Each bucket has its own distribution, so a merge that dropped or doubled one would show.
            values[i] = (float) (PositionBuckets.index(positions[i]) + random.nextGaussian());
            if (positions[i] >= 1) {
                direct.update(values[i]);
                pooled.add(values[i]);
            }
        }
        KeyedSummaries summaries = new KeyedSummaries();
        summaries.update(0, SITE, METRIC, values, positions, n);
        MetricSummary all = summaries.entries().get(new StatKey(0, SITE, METRIC, "all"));

        assertEquals(direct.count(), all.count());
        assertEquals(direct.moments().mean(), all.moments().mean(), 1e-12);
        assertEquals(direct.moments().variance(), all.moments().variance(), 1e-9);
        assertEquals(direct.moments().min(), all.moments().min());
        assertEquals(direct.moments().max(), all.moments().max());
        Collections.sort(pooled);
        for (double rank : new double[] {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}) {
            float q = all.quantile(rank);
            int below = Collections.binarySearch(pooled, q);
            double trueRank = (below < 0 ? -below - 1 : below) / (double) pooled.size();
            assertEquals(rank, trueRank, MetricSummary.rankError(), "rank " + rank);
        }
    }

    @Test
    void readsBytesWrittenWithAnAllEntryByDerivingIt() {
        MetricSummary one = new MetricSummary();
        one.update(1);
        MetricSummary twoThree = new MetricSummary();
        twoThree.update(2);
        twoThree.update(3);
        MetricSummary staleAll = new MetricSummary();
        staleAll.update(42);
        byte[] earlierFormat = BinaryCodec.encode((byte) 'K', out -> {
            out.writeInt(3);
            for (Object[] entry : new Object[][] {{"1", one}, {"2-3", twoThree}, {"all", staleAll}}) {
                out.writeInt(0);
                out.writeUTF(SITE);
                out.writeUTF(METRIC);
                out.writeUTF((String) entry[0]);
                ((MetricSummary) entry[1]).write(out);
            }
        });
        KeyedSummaries read = KeyedSummaries.fromBytes(earlierFormat);
        MetricSummary all = read.entries().get(new StatKey(0, SITE, METRIC, "all"));
        assertEquals(3, all.count());
        assertEquals(2.0, all.moments().mean());
        assertEquals(3.0, all.moments().max());
        assertEquals(3, read.entries().size());
        assertFalse(new String(read.toBytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("all"),
                "all is derived, never stored");
    }
}
