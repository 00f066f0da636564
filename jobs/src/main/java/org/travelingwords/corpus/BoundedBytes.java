package org.travelingwords.corpus;

import java.util.Arrays;

/**
 * A growable byte buffer that stores at most {@code cap} bytes but counts everything appended, so a
 * giant line or file costs {@code cap} bytes of memory and is still measured (and rejected as too long).
 */
final class BoundedBytes {

    private final int cap;
    private byte[] data = new byte[256];
    private int stored;
    private long total;

    BoundedBytes(int cap) {
        this.cap = cap;
    }

    void clear() {
        stored = 0;
        total = 0;
    }

    void append(byte[] source, int offset, int length) {
        total += length;
        int keep = Math.min(length, cap - stored);
        if (keep <= 0) {
            return;
        }
        if (stored + keep > data.length) {
            long grown = Math.max((long) data.length * 2, (long) stored + keep);
            data = Arrays.copyOf(data, (int) Math.min(grown, cap));
        }
        System.arraycopy(source, offset, data, stored, keep);
        stored += keep;
    }

    /** Drops the first {@code n} stored bytes (a byte-order mark). */
    void dropFirst(int n) {
        System.arraycopy(data, n, data, 0, stored - n);
        stored -= n;
        total -= n;
    }

    /** Drops the last stored byte when it is {@code b} and nothing was cut off (a {@code \r} before {@code \n}). */
    void dropLastIf(byte b) {
        if (stored > 0 && !truncated() && data[stored - 1] == b) {
            stored--;
            total--;
        }
    }

    boolean startsWith(byte[] prefix) {
        if (stored < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when more bytes were appended than stored. */
    boolean truncated() {
        return total > stored;
    }

    byte[] array() {
        return data;
    }

    int stored() {
        return stored;
    }

    long total() {
        return total;
    }
}
