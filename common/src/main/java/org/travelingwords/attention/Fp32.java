package org.travelingwords.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Statistics are computed in fp32 whatever the model's precision (fp16 / bf16 on GPUs). */
final class Fp32 {

    private Fp32() {}

    static NDArray of(NDArray x) {
        return x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    }
}
