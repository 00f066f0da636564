package org.travelingwords.model;

import ai.djl.ndarray.NDArray;

/**
 * LayerNorm's statistics of x over its last axis (DESIGN §2): μ, σ = sqrt(mean (x − μ)² + ε) and
 * x̂ = (x − μ)/σ, the point on the sphere of radius sqrt(D) that γ and β then stretch and move.
 * The one place they are computed: the forward's LN hooks, the sphere metrics and the static
 * probes all read them from here.
 *
 * @param mean       μ, [..., 1]
 * @param scale      σ, ε included, [..., 1]
 * @param normalized x̂, the shape of x
 */
public record LayerNormStats(NDArray mean, NDArray scale, NDArray normalized) {

    /**
     * The statistics of {@code x}, in x's own float type; ε is added as the scalar given (a float for
     * fp32 activations, a double for the probes' float64 arithmetic).
     */
    public static LayerNormStats of(NDArray x, Number epsilon) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray centered = x.sub(mean);
        NDArray scale = centered.square().mean(new int[] {-1}, true).addi(epsilon).sqrt();
        return new LayerNormStats(mean, scale, centered.div(scale));
    }

    /**
     * The statistics of a model activation in fp32, whatever the model's precision: GPT-2's residual
     * reaches ~10³, and (x − μ)² of that overflows fp16, whose largest finite value is 65504.
     */
    public static LayerNormStats ofActivation(NDArray x, float epsilon) {
        return of(Fp32.of(x), epsilon);
    }

    /** LN(x) = γ ⊙ x̂ + β, in the wider of x̂'s and γ's float types. */
    public NDArray affine(NDArray gain, NDArray bias) {
        return normalized.mul(gain).addi(bias);
    }
}
