package org.travelingwords.model;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;

/**
 * {@code y = x·Wᵀ + b} by OpenBLAS's sgemm on the CPU tensors' own memory: DJL hands out a direct
 * buffer over a contiguous libtorch tensor, so x, W and the result are neither copied nor
 * converted (a non-contiguous x gets one contiguous copy from DJL first). The result is an empty
 * libtorch tensor sgemm writes into; the bias is one in-place add after (≈ 0.05 ms against ≈ 10 ms
 * for the 256×768·768×2304 product, measured here).
 *
 * <p>OpenBLAS runs on one thread: its own thread pool and libtorch's OpenMP pool contend for the same
 * cores (2 threads on 2 cores, 2026-12-06: bare forward 238 tokens/s against libtorch's 443), so while
 * libtorch runs more than one intra-op thread the product is libtorch's. Spark tasks run one thread each
 * unless told otherwise (README "GEMM").
 */
public final class OpenBlasGemm implements Gemm {

    private OpenBlasGemm() {}

    /** The path, once OpenBLAS's natives loaded; throws when they can't on this platform. */
    public static OpenBlasGemm load() {
        OpenBlas.load();
        return new OpenBlasGemm();
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        Shape shape = x.getShape();
        int last = shape.dimension() - 1;
        long in = shape.get(last);
        long out = weight.getShape().get(0);
        long rows = shape.size() / in;
        if (JniUtils.getNumThreads() > 1 || rows == 0
                || Math.max(rows, out) * Math.max(in, out) * Float.BYTES > Integer.MAX_VALUE) {
            // Also: a direct buffer spans at most 2 GiB (x, W and y each), and an empty tensor has none.
            return LibtorchGemm.INSTANCE.linear(x, weight, bias);
        }
        NDArray y = x.getManager().create(shape.slice(0, last).add(out), DataType.FLOAT32);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int) rows, (int) out, (int) in,
                1f, floats(x), (int) in, floats(weight), (int) in, 0f, floats(y), (int) out);
        return bias == null ? y : y.addi(bias);
    }

    private static FloatBuffer floats(NDArray a) {
        return a.toByteBuffer(true).asFloatBuffer();
    }
}
