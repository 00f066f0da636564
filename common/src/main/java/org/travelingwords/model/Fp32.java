package org.travelingwords.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Statistics are computed in fp32 whatever the model's precision (fp16 on GPUs). */
public final class Fp32 {

    private Fp32() {}

    /** {@code x} itself when it is fp32 already, else an fp32 copy in x's manager. */
    public static NDArray of(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    }
}
