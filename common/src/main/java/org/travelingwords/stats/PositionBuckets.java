package org.travelingwords.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Token-position buckets of the sphere statistics (DESIGN §4): {@code 0}, {@code 1}, then powers of
 * two {@code [2^k, 2^(k+1)-1]} ("2-3", "4-7", "8-15", …), plus {@link #ALL}.
 *
 * <p>Bucket index i holds position 0 for i = 0 and positions [2^(i-1), 2^i - 1] for i ≥ 1, so
 * {@code index(p) = 1 + floor(log2 p)} for p ≥ 1. {@link #ALL} covers every position EXCEPT 0: the
 * first token's residual is an outlier in GPT-2 and would dominate the pooled statistics.
 */
public final class PositionBuckets {

    /** The pooled bucket; it excludes position 0. */
    public static final String ALL = "all";

    /** Enough buckets for any non-negative int position (index 31 holds [2^30, 2^31 - 1]). */
    public static final int MAX_INDEXED_BUCKETS = 32;

    /** Orders labels by the first position they hold, with {@link #ALL} last; rejects unknown labels. */
    public static final Comparator<String> ORDER = Comparator.comparingInt(PositionBuckets::sortIndex);

    private PositionBuckets() {
    }

    /** The label of the bucket holding {@code position} (never {@link #ALL}). */
    public static String of(int position) {
        return label(index(position));
    }

    /** The bucket index of {@code position}: 0 for position 0, else 1 + floor(log2 position). */
    public static int index(int position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        return 32 - Integer.numberOfLeadingZeros(position);
    }

    /** The label of bucket {@code index}, e.g. 0 → "0", 1 → "1", 3 → "4-7". */
    public static String label(int index) {
        if (index < 0 || index >= MAX_INDEXED_BUCKETS) {
            throw new IllegalArgumentException("bucket index out of range: " + index);
        }
        if (index <= 1) {
            return Integer.toString(index);
        }
        long first = 1L << (index - 1);
        return first + "-" + (2 * first - 1);
    }

    /** The inverse of {@link #label(int)}; throws for {@link #ALL} and for anything not a bucket label. */
    public static int indexOf(String label) {
        int dash = label.indexOf('-');
        int first;
        try {
            first = Integer.parseInt(dash < 0 ? label : label.substring(0, dash));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a position bucket: '" + label + "'");
        }
        if (first < 0 || !label(index(first)).equals(label)) {
            throw new IllegalArgumentException("not a position bucket: '" + label + "'");
        }
        return index(first);
    }

    /** Every label needed for positions 0..blockSize-1, in position order, then {@link #ALL}. */
    public static List<String> labels(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be positive: " + blockSize);
        }
        int buckets = index(blockSize - 1) + 1;
        List<String> labels = new ArrayList<>(buckets + 1);
        for (int i = 0; i < buckets; i++) {
            labels.add(label(i));
        }
        labels.add(ALL);
        return List.copyOf(labels);
    }

    /** True for {@link #ALL} and every label that {@link #label(int)} can produce. */
    public static boolean isLabel(String label) {
        if (label == null) {
            return false;
        }
        if (ALL.equals(label)) {
            return true;
        }
        try {
            indexOf(label);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int sortIndex(String label) {
        return ALL.equals(label) ? MAX_INDEXED_BUCKETS : indexOf(label);
    }
}
