package org.travelingwords.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The statistics of one metric under one key (DESIGN §4): exact {@link Moments} plus a KLL float
 * sketch with k = {@value #KLL_K} for the quantiles.
 *
 * <p>Invariants: {@code moments().count()} equals the sketch's n (NaN is skipped by both). Count,
 * min and max are exact; the mean and variance are exact up to rounding; a quantile at rank r is an
 * item whose true normalized rank is within {@link #rankError()} of r with 99% confidence —
 * 0.013295 (1.33%) for k = 200, the single-sided bound of
 * {@code KllSketch.getNormalizedRankError(200, false)} that applies to quantile and rank queries
 * (the double-sided PMF/CDF bound is 1.65%). Merging preserves these bounds regardless of how the
 * stream was split.
 *
 * <p>Java serialization goes through {@link #toBytes()}, so instances can travel through Spark.
 */
public final class MetricSummary {

    /** The KLL accuracy parameter of every summary (DESIGN §4). */
    public static final int KLL_K = 200;

    private static final long serialVersionUID = 1L;
    private static final byte TAG = 'S';

    private final Moments moments;
    private final KllFloatsSketch sketch;

    public MetricSummary() {
        this(new Moments(), KllFloatsSketch.newHeapInstance(KLL_K));
    }

    private MetricSummary(Moments moments, KllFloatsSketch sketch) {
        this.moments = moments;
        this.sketch = sketch;
    }

    /** Normalized rank error of {@link #quantile} at 99% confidence (single-sided, k = {@value #KLL_K}). */
    public static double rankError() {
        return KllSketch.getNormalizedRankError(KLL_K, false);
    }

    /** Adds one value; NaN (metric undefined) is skipped. */
    public void update(float value) {
        if (Float.isNaN(value)) {
            return;
        }
        moments.update(value);
        sketch.update(value);
    }

    /** Folds {@code other} into this one; {@code other} is not changed. */
    public void merge(MetricSummary other) {
        moments.merge(other.moments);
        sketch.merge(other.sketch);
    }

    /** A copy of the moments (the summary's own stay consistent with its sketch). */
    public Moments moments() {
        return new Moments(moments);
    }

    public long count() {
        return moments.count();
    }

    /** The approximate quantile at normalized rank {@code rank} in [0, 1] (inclusive search); NaN when empty. */
    public float quantile(double rank) {
        if (rank < 0 || rank > 1 || Double.isNaN(rank)) {
            throw new IllegalArgumentException("rank must be in [0, 1]: " + rank);
        }
        return sketch.isEmpty() ? Float.NaN : sketch.getQuantile(rank);
    }

    /** The serialized KLL sketch in DataSketches' own format, mergeable by later runs. */
    public byte[] sketchBytes() {
        return sketch.toByteArray();
    }

    /** Writes the moments and the sketch, for embedding in a larger format. */
    public void write(DataOutput out) throws IOException {
        moments.write(out);
        BinaryCodec.writeBlock(out, sketch.toByteArray());
    }

    /** Reads what {@link #write} wrote. */
    public static MetricSummary read(DataInput in) throws IOException {
        Moments moments = Moments.read(in);
        KllFloatsSketch sketch = KllFloatsSketch.heapify(Memory.wrap(BinaryCodec.readBlock(in)));
        if (sketch.getK() != KLL_K || sketch.getN() != moments.count()) {
            throw new IllegalArgumentException("corrupt summary: sketch k " + sketch.getK() + ", n "
                    + sketch.getN() + " vs moments count " + moments.count());
        }
        return new MetricSummary(moments, sketch);
    }

    public byte[] toBytes() {
        return BinaryCodec.encode(TAG, this::write);
    }

    public static MetricSummary fromBytes(byte[] bytes) {
        return BinaryCodec.decode(bytes, TAG, "MetricSummary", MetricSummary::read);
    }

    @Override
    public String toString() {
        return "MetricSummary[" + moments + ", p50=" + quantile(0.5) + "]";
    }
}
