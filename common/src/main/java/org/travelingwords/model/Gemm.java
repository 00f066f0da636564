package org.travelingwords.model;

import ai.djl.ndarray.NDArray;

/**
 * The seam for the forward's big fp32 products (DESIGN §2's a·W_attn, z·W_O, the MLP's two, and
 * the tied unembedding LNf(x)·Eᵀ): {@code y = x·Wᵀ + b} over x's last axis. Weights are stored
 * [out, in] (the Conv1D layout transposed once at load), so every caller passes the same layout.
 * Two paths, chosen per JVM by {@link Gemms}: libtorch's own kernel and OpenBLAS.
 */
public interface Gemm {

    /** {@code libtorch} or {@code openblas}: the value {@code -Dtw.gemm} takes and the benchmark prints. */
    String name();

    /** x [..., in] · weight [out, in]ᵀ + bias [out] (bias may be null), [..., out], in x's manager. */
    NDArray linear(NDArray x, NDArray weight, NDArray bias);
}
