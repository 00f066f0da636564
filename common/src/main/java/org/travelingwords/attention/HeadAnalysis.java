package org.travelingwords.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.travelingwords.analysis.BatchAnalysis;
import org.travelingwords.model.Fp32;
import org.travelingwords.model.HookListener;
import org.travelingwords.model.HookNames;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.TokenBatch;

/**
 * The attention heads of DESIGN §5, reduced on the model's device from {@code attn.hook_pattern},
 * {@code attn.hook_z} (with W_O: {@link HeadOutputWeights}) and {@code hook_resid_pre} (with {@code attn.hook_q}, {@code attn.hook_k} and
 * {@code attn.hook_attn_scores} for the entropy, below): per query the metrics of {@link HeadMetric},
 * the strongest key after the sink, the sum of each head's writes and, for sampled tokens, their z
 * (the {@link PromotedScorer} this analysis hands out scores them on the vocabulary, many batches'
 * together). Only per-query scalars, one [H, D] sum and the sampled cells' z reach the host.
 * Reductions run in fp32 whatever the model's precision.
 *
 * <p>The pattern p [B, H, T, T] is read a few times, not once per metric, and never through a
 * logarithm: the matmuls p·K and p·(0, 1, …, T−1)ᵀ give Σ_k p_k k_k and Σ_k p_k·k (the distance), one
 * argmax gives k*, the rest are gathers. With s_k = q·k_k/√dh the masked scores, ln p_k = s_k − lse,
 * so the entropy −Σ p_k ln p_k = lse − Σ_k p_k s_k = lse − q·(Σ_k p_k k_k)/√dh, where lse = s_j − ln p_j
 * at the larger of p_0 and p_k* (never below 1/(2t), so its logarithm is exact). float32 rounding
 * leaves about 1e-7 × |scores|; a negative result is clamped to 0. On a CPU those columns come from
 * one {@link PatternScan} of the pattern's and the scores' memory instead, which is faster there than
 * the tensor operations and sums Σ_{k≤t} p_k s_k itself (so q and k are not read).
 */
public final class HeadAnalysis {

    private static final String RESID_PRE = HookNames.RESID_PRE;
    private static final String QUERIES = HookNames.ATTN_Q;
    private static final String KEYS = HookNames.ATTN_K;
    private static final String SCORES = HookNames.ATTN_SCORES;
    private static final String PATTERN = HookNames.ATTN_PATTERN;
    private static final String Z = HookNames.ATTN_Z;
    private static final int METRICS = HeadMetric.values().length;

    private final HookedGpt2 model;
    private final long projectionBudget;
    private final boolean scanOnHost;
    private final HookPlan plan;

    public HeadAnalysis(HookedGpt2 model) {
        this(model, HeadOutputWeights.PROJECTION_BUDGET_BYTES, !model.device().isGpu());
    }

    /**
     * @param projectionBudget bytes the promoted projections of all layers may take on the device (see {@link HeadOutputWeights})
     * @param scanOnHost       whether the pattern's columns come from a {@link PatternScan} of its memory (CPU only)
     *                         rather than from tensor operations
     */
    HeadAnalysis(HookedGpt2 model, long projectionBudget, boolean scanOnHost) {
        if (scanOnHost && model.device().isGpu()) {
            throw new IllegalArgumentException("a pattern on " + model.device() + " cannot be scanned on the host");
        }
        this.model = model;
        this.projectionBudget = projectionBudget;
        this.scanOnHost = scanOnHost;
        HeadOutputWeights.prepare(model, projectionBudget);
        int layers = model.config().nLayer();
        Set<String> hooks = new HashSet<>();
        for (int l = 0; l < layers; l++) {
            hooks.add(HookNames.block(l, RESID_PRE));
            if (!scanOnHost) {
                hooks.add(HookNames.block(l, QUERIES));
                hooks.add(HookNames.block(l, KEYS));
            }
            hooks.add(HookNames.block(l, SCORES));
            hooks.add(HookNames.block(l, PATTERN));
            hooks.add(HookNames.block(l, Z));
        }
        this.plan = HookPlan.forHooks(layers, hooks);
    }

    /** The scorer of the promoted view for the cells this analysis samples, with the same projection budget. */
    public PromotedScorer promotedScorer(PromotedScorer.Sink sink) {
        return new PromotedScorer(model, projectionBudget, PromotedScorer.FLUSH_CELLS, sink);
    }

    /** The hooks this analysis reads: resid_pre, the scores, the pattern and z of every block, and q and k unless it scans the pattern on the host. */
    public HookPlan plan() {
        return plan;
    }

    /**
     * This analysis as one of those sharing a forward: each layer's outputs go to {@code onLayer}.
     * A batch of one position has no query t ≥ 1 and produces nothing.
     *
     * @param promotedCells batch cells b·T + t, real tokens with t ≥ 1, whose promoted tokens are wanted
     */
    public BatchAnalysis into(int[] promotedCells, Consumer<HeadLayer> onLayer) {
        return new BatchAnalysis() {
            @Override
            public HookPlan plan() {
                return plan;
            }

            @Override
            public HookListener begin(TokenBatch batch, NDManager state) {
                if (batch.seqLen() < 2) {
                    return (name, value) -> { };
                }
                BatchState batchState = new BatchState(batch, state, promotedCells);
                return (name, value) -> batchState.onHook(name, value, onLayer);
            }
        };
    }

    /** How a batch's pattern becomes its columns, in {@link PatternScan}'s layout. */
    private interface PatternReduction {
        /** Takes q or k of the block running now, if this reduction reads them. */
        default void onHook(String name, NDArray value) {
        }

        /** DESIGN §5's pattern metrics from p = pattern [B, H, T, T] and the masked scores (how: see the class comment). */
        float[] reduce(NDArray p, NDArray scores);
    }

    /** The pattern's reductions as tensor operations on its device: constant index arrays per batch, and q, k of the block. */
    private final class TensorReduction implements PatternReduction {
        private final NDArray pickIndex;      // [B, H, T, 3]: keys 0, t, t−1 (0 at t = 0)
        private final NDArray keyIndex;       // [T, 1]: k
        private final NDArray positions;      // [T]: t
        private final float inverseSqrtDh;
        private NDArray queries;              // [B, H, T, dh], of the block running now
        private NDArray keys;

        TensorReduction(int rows, int heads, int seqLen, NDManager state) {
            long[] picks = new long[rows * heads * seqLen * 3];
            for (int i = 0; i < rows * heads; i++) {
                for (int t = 0; t < seqLen; t++) {
                    int at = (i * seqLen + t) * 3;
                    picks[at + 1] = t;
                    picks[at + 2] = Math.max(t - 1, 0);
                }
            }
            pickIndex = state.create(LongBuffer.wrap(picks), new Shape(rows, heads, seqLen, 3), DataType.INT64);
            positions = state.arange(0f, seqLen, 1f, DataType.FLOAT32);
            keyIndex = positions.reshape(seqLen, 1);
            inverseSqrtDh = (float) (1 / Math.sqrt(model.config().headDim()));
        }

        @Override
        public void onHook(String name, NDArray value) {
            if (name.endsWith(QUERIES)) {
                queries = Fp32.of(value).transpose(0, 2, 1, 3);
            } else {
                keys = Fp32.of(value).transpose(0, 2, 1, 3);
            }
        }

        @Override
        public float[] reduce(NDArray p, NDArray scores) {
            NDArray distance = positions.sub(p.matMul(keyIndex).squeeze(-1));                // t − Σ_k p_k·k
            NDArray picked = p.gather(pickIndex, 3);                                          // p_0, p_t, p_{t−1}
            NDArray sink = picked.get(new NDIndex(":, :, :, 0"));
            NDArray strongest = p.get(new NDIndex(":, :, :, 1:")).argMax(-1).add(1).expandDims(-1); // k* ≥ 1
            NDArray keyWeight = p.gather(strongest, 3).squeeze(-1);                           // p_k*
            NDArray sinkWins = sink.gte(keyWeight);
            NDArray j = NDArrays.where(sinkWins.expandDims(-1), strongest.zerosLike(), strongest);
            NDArray lse = Fp32.of(scores.gather(j, 3)).squeeze(-1)
                    .sub(NDArrays.where(sinkWins, sink, keyWeight).log());                    // s_j − ln p_j
            NDArray expectedScore = queries.mul(p.matMul(keys)).sum(new int[] {-1}).mul(inverseSqrtDh); // Σ_k p_k s_k
            NDArray entropy = lse.sub(expectedScore).maximum(0f);
            return NDArrays.stack(new NDList(entropy, sink, picked.get(new NDIndex(":, :, :, 1")),
                    picked.get(new NDIndex(":, :, :, 2")), distance, keyWeight,
                    strongest.squeeze(-1).toType(DataType.FLOAT32, false))).toFloatArray();
        }
    }

    /** What one batch needs across hooks: constant arrays, its pattern reduction, and this block's hooks and pattern columns. */
    private final class BatchState {
        private final TokenBatch batch;
        private final int rows;
        private final int seqLen;
        private final int heads;
        private final int dModel;
        private final int headDim;
        private final int[] promotedCells;
        private final PatternReduction reduction;
        private final NDArray writeMask;      // [1, B·T]: 1 at real tokens t ≥ 1
        private final NDArray promotedIndex;  // [n] batch cells, null when none
        private NDArray residPre;             // of the block running now; its scope ends with the block
        private NDArray scores;               // [B, H, T, T], masked, in the model's precision
        private float[] pattern;              // the block's pattern columns, [PatternScan.COLUMNS, B, H, T]

        BatchState(TokenBatch batch, NDManager state, int[] promotedCells) {
            this.batch = batch;
            this.rows = batch.batchSize();
            this.seqLen = batch.seqLen();
            this.heads = model.config().nHead();
            this.dModel = model.config().nEmbd();
            this.headDim = model.config().headDim();
            this.promotedCells = promotedCells.clone();
            this.reduction = scanOnHost
                    ? (p, s) -> PatternScan.scan(p.toByteBuffer(true).asFloatBuffer(),
                            Fp32.of(s).toByteBuffer(true).asFloatBuffer(), rows * heads, seqLen)
                    : new TensorReduction(rows, heads, seqLen, state);
            float[] mask = new float[rows * seqLen];
            for (int b = 0; b < rows; b++) {
                Arrays.fill(mask, b * seqLen + 1, b * seqLen + batch.lengths()[b], 1f);
            }
            writeMask = state.create(mask, new Shape(1, (long) rows * seqLen));
            for (int cell : this.promotedCells) {
                int t = cell % seqLen;
                if (t < 1 || t >= batch.lengths()[cell / seqLen]) {
                    throw new IllegalArgumentException("promoted cell " + cell + " is not a real token at t >= 1");
                }
            }
            promotedIndex = this.promotedCells.length == 0 ? null
                    : state.create(Arrays.stream(this.promotedCells).asLongStream().toArray(),
                            new Shape(this.promotedCells.length));
        }

        void onHook(String name, NDArray value, Consumer<HeadLayer> onLayer) {
            if (name.endsWith(SCORES)) {
                scores = value;                                // only T of them are read: converted after the gather
            } else if (name.endsWith(RESID_PRE)) {
                residPre = Fp32.of(value);
            } else if (name.endsWith(QUERIES) || name.endsWith(KEYS)) {
                reduction.onHook(name, value);
            } else if (name.endsWith(PATTERN)) {
                pattern = reduction.reduce(Fp32.of(value), scores);
            } else {
                onLayer.accept(layerOutput(HookNames.layerOf(name), Fp32.of(value)));
            }
        }

        /**
         * Everything of one layer, from its z [B, T, H, dh] (the heads' outputs before W_O) and the
         * pattern and resid_pre seen before it. result_h = z_h·W_O,h is never built (see {@link HeadOutputWeights}):
         * ‖result_h‖² = z_h·G_h·z_hᵀ, result_h·x = z_h·(x·W_O,hᵀ), Σ_t result_h(t) = (Σ_t z_h(t))·W_O,h.
         */
        private HeadLayer layerOutput(int layer, NDArray z) {
            long cells = (long) rows * seqLen;
            HeadOutputWeights w = HeadOutputWeights.of(model, layer, projectionBudget);
            NDArray zFlat = z.reshape(cells, (long) heads * headDim);                               // [B·T, H·dh]
            NDArray byHead = zFlat.reshape(cells, heads, headDim).transpose(1, 0, 2);               // [H, B·T, dh]
            NDArray resultNorm = byHead.matMul(w.gram()).mul(byHead).sum(new int[] {-1})
                    .maximum(0f).sqrt();                                                           // [H, B·T]
            NDArray x = residPre.reshape(cells, dModel);
            NDArray xRead = model.gemm().linear(x, w.outFlat(), null);                               // x·W_O,hᵀ, [B·T, H·dh]
            NDArray dot = xRead.mul(zFlat).reshape(cells, heads, headDim).sum(new int[] {-1}).transpose(); // result_h·x
            NDArray cos = dot.div(resultNorm.mul(x.norm(new int[] {-1}).reshape(1, cells)));     // cos(result_h(t), x(t))
            float[] output = NDArrays.stack(new NDList(byBatchRow(resultNorm), byBatchRow(cos)))
                    .toFloatArray();                                                               // [2, B, H, T]
            float[] writeSums = writeMask.matMul(zFlat).reshape(heads, 1, headDim).matMul(w.out())
                    .toFloatArray();                                                               // Σ result_h(t), t ≥ 1
            return unpack(layer, output, writeSums, promotedZ(zFlat));
        }

        /** [H, B·T] → [B, H, T]. */
        private NDArray byBatchRow(NDArray perHead) {
            return perHead.reshape(heads, rows, seqLen).transpose(1, 0, 2);
        }

        /** z of each sampled cell, [n, H·dh] = [n, H, dh] flattened, for the {@link PromotedScorer}. */
        private float[] promotedZ(NDArray zFlat) {
            return promotedIndex == null ? new float[0] : zFlat.get(promotedIndex).toFloatArray();
        }

        /** Host arrays with position 0 and padding marked undefined; {@code output} holds ‖result_h‖ and its cosine. */
        private HeadLayer unpack(int layer, float[] output, float[] writeSums, float[] promotedZ) {
            int cells = rows * heads * seqLen;
            float[][] metrics = new float[METRICS][];
            for (int m = 0; m < HeadMetric.RESULT_NORM.ordinal(); m++) {
                metrics[m] = column(pattern, m);                            // PatternScan's columns start in HeadMetric's order
            }
            metrics[HeadMetric.RESULT_NORM.ordinal()] = column(output, 0);
            metrics[HeadMetric.RESULT_COS.ordinal()] = column(output, 1);
            float[] keyWeights = column(pattern, PatternScan.KEY_WEIGHT);
            float[] keyColumn = column(pattern, PatternScan.KEY_POSITION);
            int[] keyPositions = new int[cells];
            int writeTokens = 0;
            for (int b = 0; b < rows; b++) {
                int length = batch.lengths()[b];
                writeTokens += length - 1;
                for (int h = 0; h < heads; h++) {
                    int start = (b * heads + h) * seqLen;
                    for (int t = 0; t < seqLen; t++) {
                        boolean defined = t >= 1 && t < length;
                        keyPositions[start + t] = defined ? (int) keyColumn[start + t] : -1;
                        if (!defined) {
                            keyWeights[start + t] = Float.NaN;
                            for (float[] metric : metrics) {
                                metric[start + t] = Float.NaN;
                            }
                        }
                    }
                }
            }
            return new HeadLayer(layer, heads, batch, metrics, keyPositions, keyWeights, writeSums, writeTokens,
                    promotedCells, promotedZ);
        }

        /** Column {@code c} of a [columns, B, H, T] array. */
        private float[] column(float[] columns, int c) {
            int cells = rows * heads * seqLen;
            return Arrays.copyOfRange(columns, c * cells, (c + 1) * cells);
        }
    }
}
