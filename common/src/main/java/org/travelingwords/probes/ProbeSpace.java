package org.travelingwords.probes;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HostTensor;
import org.travelingwords.model.LayerNormStats;

/**
 * The vocabulary side of one model on one device, for the static probes (DESIGN §6): E [V, D] and
 * LN1_b(E) of the block last asked for, in float64. The weights are float32; the probes rank all V
 * tokens, and float64 keeps those rankings free of rounding ties. Not thread-safe: one per task.
 *
 * <p>Probes run their arithmetic inside an {@link NDScope}, so every temporary is freed when they
 * return; only E and the cached LN1_b(E) live as long as the space.
 */
public final class ProbeSpace implements AutoCloseable {

    /** Rows per block in {@link #byRowBlocks}: 4096 × 768 float64 = 25 MB per temporary. */
    private static final int ROW_BLOCK = 4096;

    private final Gpt2Weights weights;
    private final NDManager manager;
    private final NDArray embedding;
    private int ln1Block = -1;
    private NDArray ln1Embedding;

    private ProbeSpace(Gpt2Weights weights, NDManager manager, NDArray embedding) {
        this.weights = weights;
        this.manager = manager;
        this.embedding = embedding;
    }

    public static ProbeSpace open(Gpt2Weights weights, Device device) {
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try (NDScope scope = new NDScope()) {
            NDArray embedding = upload(manager, weights.get("wte.weight"));
            NDScope.unregister(embedding);
            return new ProbeSpace(weights, manager, embedding);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public Gpt2Config config() {
        return weights.config();
    }

    public Gpt2Weights weights() {
        return weights;
    }

    /** E [V, D]. */
    public NDArray embedding() {
        return embedding;
    }

    /** LN1_b(E) [V, D]: block b's first LayerNorm, γ and β included, applied to every token's embedding. */
    public NDArray ln1Embedding(int block) {
        if (block != ln1Block) {
            if (ln1Embedding != null) {
                ln1Embedding.close();
                ln1Embedding = null;
            }
            String prefix = "h." + block + ".ln_1";
            try (NDScope scope = new NDScope()) {
                ln1Embedding = byRowBlocks(embedding, rows -> layerNorm(rows, prefix));
                NDScope.unregister(ln1Embedding);
            }
            ln1Block = block;
        }
        return ln1Embedding;
    }

    /**
     * {@code f} applied to blocks of rows of {@code x} [n, …] and concatenated: the same array as
     * {@code f(x)} for a row-wise {@code f}, but its temporaries are a block's size instead of the
     * vocabulary's (a [V, D] float64 temporary of GPT-2 small is 300 MB). The result belongs to the
     * caller's scope, like any other op's.
     */
    public NDArray byRowBlocks(NDArray x, UnaryOperator<NDArray> f) {
        long rows = x.getShape().get(0);
        if (rows <= ROW_BLOCK) {
            return f.apply(x);
        }
        NDList parts = new NDList();
        try {
            for (long start = 0; start < rows; start += ROW_BLOCK) {
                try (NDScope scope = new NDScope()) {
                    NDArray part = f.apply(x.get("{}:{}", start, Math.min(rows, start + ROW_BLOCK)));
                    NDScope.unregister(part);
                    parts.add(part);
                }
            }
            return NDArrays.concat(parts);
        } finally {
            parts.close();
        }
    }

    /** A weight tensor of the checkpoint as float64 on the device. */
    public NDArray tensor(String name) {
        return upload(manager, weights.get(name));
    }

    /** Host values as a float64 array of {@code shape} on the device. */
    public NDArray array(double[] values, long... shape) {
        return manager.create(values, new Shape(shape));
    }

    /** Host float32 values as a float64 array of {@code shape} on the device. */
    public NDArray array(float[] values, long... shape) {
        return manager.create(values, new Shape(shape)).toType(DataType.FLOAT64, false);
    }

    /** Token ids as an int64 index array. */
    public NDArray ids(int[] tokens) {
        long[] ids = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            ids[i] = tokens[i];
        }
        return manager.create(ids);
    }

    /**
     * LN(x) = γ ⊙ (x − μ)/σ + β over the last axis with the LayerNorm {@code prefix} ({@code h.3.ln_1},
     * {@code ln_f}) of the checkpoint (DESIGN §2).
     */
    public NDArray layerNorm(NDArray x, String prefix) {
        return normalize(x).mul(tensor(prefix + ".weight")).add(tensor(prefix + ".bias"));
    }

    /** x̂ = (x − μ)/σ, σ = sqrt(mean (x − μ)² + ε): the LayerNorm without its affine part. */
    public NDArray normalize(NDArray x) {
        return LayerNormStats.of(x, config().layerNormEpsilon()).normalized();
    }

    private static NDArray upload(NDManager manager, HostTensor tensor) {
        return manager.create(tensor.data(), new Shape(tensor.shape())).toType(DataType.FLOAT64, false);
    }

    /** Arrays the space's manager holds: E and LN1_b(E) only, whatever the probes did (a leak check for tests). */
    int liveArrays() {
        return ((BaseNDManager) manager).getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
