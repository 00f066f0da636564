package org.travelingwords.model;

import java.util.Arrays;

/** A float32 tensor in JVM memory, row-major: how weights travel from a file to a device. */
public record HostTensor(long[] shape, float[] data) {

    public HostTensor {
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs "
                    + numel(shape) + " values, got " + data.length);
        }
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return "HostTensor" + Arrays.toString(shape);
    }
}
