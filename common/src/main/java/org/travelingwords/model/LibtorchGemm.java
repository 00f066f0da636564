package org.travelingwords.model;

import ai.djl.ndarray.NDArray;

/** libtorch's {@code linear}: the only path on GPUs and in half precision, and the CPU fallback. */
public final class LibtorchGemm implements Gemm {

    public static final LibtorchGemm INSTANCE = new LibtorchGemm();

    private LibtorchGemm() {}

    @Override
    public String name() {
        return "libtorch";
    }

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }
}
