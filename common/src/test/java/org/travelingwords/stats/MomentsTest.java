package org.travelingwords.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MomentsTest {

    /** Offset data stresses cancellation: a naive sum-of-squares variance would lose ~8 digits here. */
    private static double[] randomData(Random random, int n) {
        double[] data = new double[n];
        for (int i = 0; i < n; i++) {
            data[i] = 1000 + 3 * random.nextGaussian();
        }
        return data;
    }

    private static Moments singlePass(double[] data, int from, int to) {
        Moments m = new Moments();
        for (int i = from; i < to; i++) {
            m.update(data[i]);
        }
        return m;
    }

    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        double error = Math.abs(actual - expected) / Math.max(Math.abs(expected), Double.MIN_NORMAL);
        assertTrue(error <= tolerance, what + ": expected " + expected + ", got " + actual + " (rel " + error + ")");
    }

    private static void assertSameMoments(Moments expected, Moments actual, double tolerance) {
        assertEquals(expected.count(), actual.count());
        assertRelative(expected.mean(), actual.mean(), tolerance, "mean");
        assertRelative(expected.variance(), actual.variance(), tolerance, "variance");
        assertEquals(expected.min(), actual.min());
        assertEquals(expected.max(), actual.max());
    }

    @Test
    void matchesNaiveTwoPass() {
        double[] data = randomData(new Random(1), 20_000);
        double mean = Arrays.stream(data).sum() / data.length;
        double squares = 0;
        for (double x : data) {
            squares += (x - mean) * (x - mean);
        }
        Moments m = singlePass(data, 0, data.length);

        assertEquals(data.length, m.count());
        assertRelative(mean, m.mean(), 1e-12, "mean");
        assertRelative(squares / data.length, m.variance(), 1e-9, "variance");
        assertRelative(Math.sqrt(squares / data.length), m.stddev(), 1e-9, "stddev");
        assertEquals(Arrays.stream(data).min().getAsDouble(), m.min());
        assertEquals(Arrays.stream(data).max().getAsDouble(), m.max());
    }

    @Test
    void mergingAnySplitEqualsOnePass() {
        Random random = new Random(2);
        double[] data = randomData(random, 10_000);
        Moments whole = singlePass(data, 0, data.length);
        for (int parts : new int[] {1, 3, 7}) {
            for (int trial = 0; trial < 5; trial++) {
                int[] cuts = random.ints(parts - 1, 0, data.length + 1).sorted().toArray();
                List<Moments> chunks = new ArrayList<>();
                int from = 0;
                for (int i = 0; i <= cuts.length; i++) {
                    int to = i < cuts.length ? cuts[i] : data.length;
                    chunks.add(singlePass(data, from, to));
                    from = to;
                }
                Collections.shuffle(chunks, random);
                Moments merged = new Moments();
                chunks.forEach(merged::merge);
                assertSameMoments(whole, merged, 1e-12);
            }
        }
    }

    @Test
    void emptyIsNaNAndNeutralInMerges() {
        Moments empty = new Moments();
        assertEquals(0, empty.count());
        assertTrue(Double.isNaN(empty.mean()));
        assertTrue(Double.isNaN(empty.variance()));
        assertTrue(Double.isNaN(empty.min()));
        assertTrue(Double.isNaN(empty.max()));

        Moments some = singlePass(new double[] {1, 2, 4}, 0, 3);
        Moments intoEmpty = new Moments();
        intoEmpty.merge(some);
        assertSameMoments(some, intoEmpty, 0);
        Moments copy = new Moments(some);
        copy.merge(new Moments());
        assertSameMoments(some, copy, 0);
        assertEquals(14.0 / 9, some.variance(), 1e-15);
    }

    @Test
    void skipsNaN() {
        Moments m = new Moments();
        m.update(Double.NaN);
        m.update(2);
        m.update(Double.NaN);
        assertEquals(1, m.count());
        assertEquals(2.0, m.mean());
        assertEquals(0.0, m.variance());
    }

    @Test
    void roundTripsThroughBytesAndStreams() throws IOException {
        Moments m = singlePass(randomData(new Random(3), 100), 0, 100);
        assertSameMoments(m, Moments.fromBytes(m.toBytes()), 0);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.write(new DataOutputStream(bytes));
        assertEquals(40, bytes.size());
        assertSameMoments(m, Moments.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))), 0);

        Moments empty = Moments.fromBytes(new Moments().toBytes());
        assertEquals(0, empty.count());
        assertTrue(Double.isNaN(empty.min()));
    }

    @Test
    void rejectsForeignOrTruncatedBytes() {
        byte[] bytes = new Moments().toBytes();
        assertThrows(IllegalArgumentException.class, () -> Moments.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> Moments.fromBytes(Arrays.copyOf(bytes, bytes.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> Moments.fromBytes(new MetricSummary().toBytes()));
    }
}
