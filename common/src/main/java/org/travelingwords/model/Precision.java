package org.travelingwords.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The float type the model's weights and activations use. Half precisions are for GPUs; on the CPU
 * the model always runs in fp32 (logged), where half-precision kernels are slow or missing. The
 * analyses compute their statistics in fp32 whatever the model's precision.
 */
public enum Precision {
    FP32(DataType.FLOAT32), FP16(DataType.FLOAT16), BF16(DataType.BFLOAT16);

    private static final Logger LOG = LoggerFactory.getLogger(Precision.class);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    public static Precision parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision '" + name + "': expected fp32, fp16 or bf16", e);
        }
    }

    /** What actually runs on {@code device}: the requested precision on a GPU, fp32 on the CPU. */
    public Precision on(Device device) {
        if (this != FP32 && !device.isGpu()) {
            LOG.info("{} requested but the model runs on the CPU: using fp32", name().toLowerCase(Locale.ROOT));
            return FP32;
        }
        return this;
    }
}
