package org.travelingwords.probes;

/**
 * A deterministic sign for a direction that only matters up to sign (a singular pair, a principal
 * axis): keep v when its largest dot product with the reference rows is at least that of −v, that
 * is when max(R·v) ≥ −min(R·v); otherwise flip. The direction then points at the tokens it singles
 * out most strongly, which is how the paper reads them.
 */
public final class SignRule {

    private SignRule() {}

    /** Whether to flip, given the projections R·v [n] of the reference rows. */
    public static boolean flip(double[] projections, int offset, int length, int stride) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            double p = projections[offset + i * stride];
            max = Math.max(max, p);
            min = Math.min(min, p);
        }
        return max < -min;
    }
}
