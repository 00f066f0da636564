package org.travelingwords.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.Test;

class MetricSummaryTest {

    private static final double[] RANKS = {0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0};

    /** Skewed, like norms: exp of a Gaussian. */
    private static float[] randomData(long seed, int n) {
        Random random = new Random(seed);
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) Math.exp(random.nextGaussian());
        }
        return data;
    }

    private static MetricSummary summaryOf(float[] data, int from, int to) {
        MetricSummary summary = new MetricSummary();
        for (int i = from; i < to; i++) {
            summary.update(data[i]);
        }
        return summary;
    }

    /** Asserts that each returned quantile's exact rank interval in the data is within the KLL bound of the asked rank. */
    private static void assertQuantilesWithinBound(float[] data, MetricSummary summary) {
        float[] sorted = data.clone();
        Arrays.sort(sorted);
        double bound = MetricSummary.rankError();
        for (double rank : RANKS) {
            float q = summary.quantile(rank);
            double below = countBelow(sorted, q) / (double) sorted.length;
            double atOrBelow = countAtOrBelow(sorted, q) / (double) sorted.length;
            double distance = rank < below ? below - rank : rank > atOrBelow ? rank - atOrBelow : 0;
            assertTrue(distance <= bound,
                    "rank " + rank + ": quantile " + q + " has true rank [" + below + ", " + atOrBelow + "], bound " + bound);
        }
    }

    private static int countBelow(float[] sorted, float q) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < q) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int countAtOrBelow(float[] sorted, float q) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= q) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void assertRelative(double expected, double actual, double tolerance) {
        assertTrue(Math.abs(actual - expected) <= tolerance * Math.abs(expected), expected + " vs " + actual);
    }

    @Test
    void rankErrorIsTheDocumentedSingleSidedBound() {
        // DataSketches: KllSketch.getNormalizedRankError(200, false) ≈ 0.0133 (99% confidence, single-sided).
        assertEquals(0.01329, MetricSummary.rankError(), 1e-5);
    }

    @Test
    void quantilesAreWithinTheRankErrorOfExactOnes() {
        float[] data = randomData(1, 200_000);
        MetricSummary summary = summaryOf(data, 0, data.length);
        assertQuantilesWithinBound(data, summary);
        float[] sorted = data.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[0], summary.quantile(0.0));
        assertEquals(sorted[sorted.length - 1], summary.quantile(1.0));
        assertEquals(sorted[0], summary.moments().min());
        assertEquals(sorted[sorted.length - 1], summary.moments().max());
    }

    @Test
    void mergingFivePartsMatchesOnePart() {
        float[] data = randomData(2, 100_000);
        MetricSummary whole = summaryOf(data, 0, data.length);
        MetricSummary merged = new MetricSummary();
        int[] cuts = {0, 7, 31_000, 31_001, 80_000, data.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            merged.merge(summaryOf(data, cuts[i], cuts[i + 1]));
        }
        assertEquals(whole.count(), merged.count());
        assertEquals(data.length, KllFloatsSketch.heapify(Memory.wrap(merged.sketchBytes())).getN());
        assertRelative(whole.moments().mean(), merged.moments().mean(), 1e-12);
        assertRelative(whole.moments().variance(), merged.moments().variance(), 1e-12);
        assertEquals(whole.moments().min(), merged.moments().min());
        assertEquals(whole.moments().max(), merged.moments().max());
        assertQuantilesWithinBound(data, whole);
        assertQuantilesWithinBound(data, merged);
    }

    @Test
    void emptyHasNaNQuantilesAndSkipsNaN() {
        MetricSummary summary = new MetricSummary();
        assertTrue(Float.isNaN(summary.quantile(0.5)));
        summary.update(Float.NaN);
        assertEquals(0, summary.count());
        assertTrue(Float.isNaN(summary.quantile(0.5)));
        summary.update(3f);
        assertEquals(3f, summary.quantile(0.5));
        assertThrows(IllegalArgumentException.class, () -> summary.quantile(1.5));
    }

    @Test
    void smallStreamsAreExact() {
        MetricSummary summary = summaryOf(new float[] {5, 1, 4, 2, 3}, 0, 5);
        assertEquals(3f, summary.quantile(0.5));
        assertEquals(1f, summary.quantile(0.0));
        assertEquals(5f, summary.quantile(1.0));
    }

    @Test
    void roundTripsThroughBytes() {
        float[] data = randomData(3, 10_000);
        MetricSummary summary = summaryOf(data, 0, data.length);
        for (MetricSummary copy : new MetricSummary[] {MetricSummary.fromBytes(summary.toBytes())}) {
            assertEquals(summary.count(), copy.count());
            assertEquals(summary.moments().mean(), copy.moments().mean());
            assertEquals(summary.moments().variance(), copy.moments().variance());
            for (double rank : RANKS) {
                assertEquals(summary.quantile(rank), copy.quantile(rank));
            }
            assertArrayEquals(summary.sketchBytes(), copy.sketchBytes());
            assertArrayEquals(summary.toBytes(), copy.toBytes());
        }
        MetricSummary empty = MetricSummary.fromBytes(new MetricSummary().toBytes());
        assertEquals(0, empty.count());
        empty.update(1f);
        assertEquals(1, empty.count());
    }

    @Test
    void sketchBytesAreAPlainKllSketch() {
        MetricSummary summary = summaryOf(randomData(4, 1000), 0, 1000);
        KllFloatsSketch sketch = KllFloatsSketch.heapify(Memory.wrap(summary.sketchBytes()));
        assertEquals(MetricSummary.KLL_K, sketch.getK());
        assertEquals(1000, sketch.getN());
        assertEquals(summary.quantile(0.5), sketch.getQuantile(0.5));
    }

    @Test
    void momentsAreACopy() {
        MetricSummary summary = summaryOf(new float[] {1, 2}, 0, 2);
        summary.moments().update(100);
        assertEquals(2, summary.count());
    }
}
