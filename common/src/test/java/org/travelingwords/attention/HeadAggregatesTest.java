package org.travelingwords.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.travelingwords.model.TokenBatch;

/**
 * Merging head aggregates: a skewed stream folded whole and split over 5 partitions (merged through
 * their bytes, as Spark does) gives the same exact statistics, and heavy-hitter counts and masses
 * whose bounds hold the true values and overlap each other, with a sketch small enough to purge.
 */
class HeadAggregatesTest {

    private static final int SKETCH = 64;
    private static final int VOCAB = 5000;
    private static final int BATCHES = 200;
    private static final int ROWS = 100;

    @Test
    void onePartitionAndFiveAgreeWithinTheSketchBounds() {
        List<Step> stream = skewedStream(new SplittableRandom(3));
        HeadAggregates whole = new HeadAggregates(1, 1, 2, SKETCH);
        List<HeadAggregates> parts = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            parts.add(new HeadAggregates(1, 1, 2, SKETCH));
        }
        Map<Long, Long> trueCounts = new HashMap<>();
        Map<Long, Long> trueMass = new HashMap<>();
        Map<Long, Long> truePromoted = new HashMap<>();
        for (int i = 0; i < stream.size(); i++) {
            HeadLayer layer = stream.get(i).layer();
            int[] promoted = stream.get(i).promoted();
            whole.update(layer);
            whole.addPromoted(0, promoted);
            parts.get(i % 5).update(layer);
            parts.get(i % 5).addPromoted(0, promoted);
            for (int b = 0; b < ROWS; b++) {
                int token = (int) layer.batch().ids()[b * 2 + 1];
                long pair = new TokenPair(token, token).encode();
                trueCounts.merge(pair, 1L, Long::sum);
                trueMass.merge(pair, Math.round(layer.keyWeights()[layer.index(b, 0, 1)] * HeadAggregates.MASS_UNITS), Long::sum);
            }
            for (int token : promoted) {
                truePromoted.merge((long) token, 1L, Long::sum);
            }
        }
        HeadAggregates left = roundTrip(parts.get(0));
        left.merge(roundTrip(parts.get(1)));
        HeadAggregates right = roundTrip(parts.get(2));
        right.merge(roundTrip(parts.get(3)));
        left.merge(roundTrip(right));
        left.merge(roundTrip(parts.get(4)));
        HeadAggregates merged = roundTrip(left);

        assertEquals(whole.stats().entries().keySet(), merged.stats().entries().keySet());
        whole.stats().entries().forEach((key, summary) ->
                assertEquals(summary.count(), merged.stats().entries().get(key).count(), key.toString()));
        assertArrayEquals(whole.meanWrite(0, 0), merged.meanWrite(0, 0), 1e-6f);

        List<Long> heaviest = trueCounts.entrySet().stream()
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed()).limit(3).map(Map.Entry::getKey).toList();
        for (HeadAggregates a : List.of(whole, merged)) {
            List<HeavyHitter> top = a.topPairs(0, 0, 10);
            assertTrue(top.get(0).lowerBound() < top.get(0).upperBound(), "the sketch must have purged: " + top.get(0));
            assertTrue(top.stream().map(HeavyHitter::item).toList().containsAll(heaviest), top + " lacks " + heaviest);
            for (HeavyHitter hitter : top) {
                assertWithin(trueCounts.get(hitter.item()), hitter, "count");
                assertWithin(trueMass.get(hitter.item()), a.massOf(0, 0, hitter.item()), "mass");
            }
            for (HeavyHitter hitter : a.topPromoted(0, 0, 5)) {
                assertWithin(truePromoted.get(hitter.item()), hitter, "promoted count");
            }
        }
        for (HeavyHitter one : whole.topPairs(0, 0, 10)) {
            for (HeavyHitter five : merged.topPairs(0, 0, 10)) {
                if (one.item() == five.item()) {
                    assertTrue(one.lowerBound() <= five.upperBound() && five.lowerBound() <= one.upperBound(),
                            "P = 1 " + one + " and P = 5 " + five + " must overlap");
                }
            }
        }
    }

    @Test
    void corruptBytesAreRefused() {
        byte[] bytes = new HeadAggregates(2, 3, 4, SKETCH).toBytes();
        assertThrows(IllegalArgumentException.class, () -> HeadAggregates.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)));
        byte[] extra = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> HeadAggregates.fromBytes(extra));
        bytes[0] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> HeadAggregates.fromBytes(bytes));
        assertEquals(4096, HeadAggregates.sketchSizeFor(200));
        assertEquals(2048, HeadAggregates.sketchSizeFor(100));
    }

    private static void assertWithin(long truth, HeavyHitter hitter, String what) {
        assertTrue(hitter.lowerBound() <= truth && truth <= hitter.upperBound(),
                what + " " + truth + " outside the bounds of " + hitter);
    }

    private static HeadAggregates roundTrip(HeadAggregates a) {
        return HeadAggregates.fromBytes(a.toBytes());
    }

    /** One batch's layer and the promoted tokens of its sampled cells. */
    private record Step(HeadLayer layer, int[] promoted) {}

    /**
     * One-head layers of rows [0, w]: the query at t = 1 has only itself after the sink, so its pair is
     * (w, w); w is Zipf-distributed over {@link #VOCAB} ids, and so is the promoted token of every
     * fourth row.
     */
    private static List<Step> skewedStream(SplittableRandom random) {
        double[] cumulative = new double[VOCAB];
        double total = 0;
        for (int v = 0; v < VOCAB; v++) {
            total += 1 / Math.pow(v + 1, 1.1);
            cumulative[v] = total;
        }
        List<Step> stream = new ArrayList<>();
        for (int n = 0; n < BATCHES; n++) {
            int[][] rows = new int[ROWS][];
            List<Integer> promotedCells = new ArrayList<>();
            List<Integer> promotedTokens = new ArrayList<>();
            float[] weights = new float[ROWS * 2];
            int[] keys = new int[ROWS * 2];
            float[][] metrics = new float[HeadMetric.values().length][ROWS * 2];
            for (int b = 0; b < ROWS; b++) {
                rows[b] = new int[] {0, zipf(random, cumulative, total)};
                keys[b * 2] = -1;
                keys[b * 2 + 1] = 1;
                weights[b * 2] = Float.NaN;
                weights[b * 2 + 1] = (float) random.nextDouble();
                for (float[] metric : metrics) {
                    metric[b * 2] = Float.NaN;
                    metric[b * 2 + 1] = (float) random.nextGaussian();
                }
                if (b % 4 == 0) {
                    promotedCells.add(b * 2 + 1);
                    promotedTokens.add(zipf(random, cumulative, total));
                }
            }
            float[] writeSums = {(float) random.nextGaussian(), (float) random.nextGaussian()};
            int[] cells = promotedCells.stream().mapToInt(Integer::intValue).toArray();
            stream.add(new Step(new HeadLayer(0, 1, TokenBatch.of(rows), metrics, keys, weights, writeSums, ROWS, cells,
                    new float[cells.length * 2]), promotedTokens.stream().mapToInt(Integer::intValue).toArray()));
        }
        return stream;
    }

    private static int zipf(SplittableRandom random, double[] cumulative, double total) {
        int at = Arrays.binarySearch(cumulative, random.nextDouble() * total);
        return Math.min(at < 0 ? -at - 1 : at, VOCAB - 1);
    }
}
