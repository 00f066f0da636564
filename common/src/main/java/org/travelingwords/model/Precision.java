package org.travelingwords.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The float type the model's weights and activations use. fp16 is for GPUs; on the CPU the model
 * always runs in fp32 (logged), where half-precision kernels are slow or missing. The analyses
 * compute their statistics in fp32 whatever the model's precision. bf16 is refused: DJL's PyTorch
 * engine maps only dtypes 0–8 to libtorch, and a cast to BFLOAT16 (11) aborts the JVM (exit 134).
 */
public enum Precision {
    FP32(DataType.FLOAT32), FP16(DataType.FLOAT16);

    private static final Logger LOG = LoggerFactory.getLogger(Precision.class);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    public static Precision parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("bf16")) {
            throw new IllegalArgumentException("precision bf16 is not supported: DJL's PyTorch engine cannot cast to "
                    + "bfloat16 (the JVM aborts); use fp16 on GPUs, or fp32");
        }
        try {
            return valueOf(n.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("precision '" + name + "': expected fp32 or fp16", e);
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
