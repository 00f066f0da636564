package org.travelingwords.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Count, mean, second central moment (M2), min and max of a stream of doubles, in one pass.
 *
 * <p>{@link #update} is Welford's update; {@link #merge} is Chan, Golub and LeVeque's pairwise
 * combination, so any split of the stream into parts, merged in any order, gives the same count,
 * min and max exactly and the same mean and variance up to rounding (relative error of order
 * n·ε for well-conditioned data, far below 1e-9 in practice). NaN means "undefined here" and is
 * ignored, as the KLL sketch next to it does; infinities are not supported.
 *
 * <p>An empty instance reports count 0 and NaN for mean, variance, min and max.
 */
public final class Moments {

    private static final byte TAG = 'M';

    private long count;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    public Moments() {
    }

    /** An independent copy of {@code other}. */
    public Moments(Moments other) {
        this.count = other.count;
        this.mean = other.mean;
        this.m2 = other.m2;
        this.min = other.min;
        this.max = other.max;
    }

    /** Welford's update; NaN is skipped. */
    public void update(double x) {
        if (Double.isNaN(x)) {
            return;
        }
        count++;
        double delta = x - mean;
        mean += delta / count;
        m2 += delta * (x - mean);
        if (x < min) {
            min = x;
        }
        if (x > max) {
            max = x;
        }
    }

    /** Folds {@code other} into this one (Chan et al.); {@code other} is not changed. */
    public void merge(Moments other) {
        long otherCount = other.count;
        if (otherCount == 0) {
            return;
        }
        if (count == 0) {
            count = otherCount;
            mean = other.mean;
            m2 = other.m2;
            min = other.min;
            max = other.max;
            return;
        }
        double n = (double) count + otherCount;
        double delta = other.mean - mean;
        double otherShare = otherCount / n;
        m2 += other.m2 + delta * delta * count * otherShare;
        mean += delta * otherShare;
        count += otherCount;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public long count() {
        return count;
    }

    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Population variance M2 / n. */
    public double variance() {
        return count == 0 ? Double.NaN : m2 / count;
    }

    /** Population standard deviation. */
    public double stddev() {
        return Math.sqrt(variance());
    }

    public double min() {
        return count == 0 ? Double.NaN : min;
    }

    public double max() {
        return count == 0 ? Double.NaN : max;
    }

    /** Writes the 40-byte raw state, for embedding in a larger format. */
    public void write(DataOutput out) throws IOException {
        out.writeLong(count);
        out.writeDouble(mean);
        out.writeDouble(m2);
        out.writeDouble(min);
        out.writeDouble(max);
    }

    /** Reads what {@link #write} wrote. */
    public static Moments read(DataInput in) throws IOException {
        Moments m = new Moments();
        m.count = in.readLong();
        m.mean = in.readDouble();
        m.m2 = in.readDouble();
        m.min = in.readDouble();
        m.max = in.readDouble();
        if (m.count < 0 || m.m2 < 0 || (m.count > 0 && m.min > m.max)) {
            throw new IllegalArgumentException("corrupt moments: count " + m.count + ", M2 " + m.m2
                    + ", min " + m.min + ", max " + m.max);
        }
        return m;
    }

    public byte[] toBytes() {
        return BinaryCodec.encode(TAG, this::write);
    }

    public static Moments fromBytes(byte[] bytes) {
        return BinaryCodec.decode(bytes, TAG, "Moments", Moments::read);
    }

    @Override
    public String toString() {
        return String.format("Moments[n=%d, mean=%s, stddev=%s, min=%s, max=%s]",
                count, mean(), stddev(), min(), max());
    }
}
