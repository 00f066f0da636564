package org.travelingwords.geometry;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.travelingwords.analysis.BatchAnalysis;
import org.travelingwords.analysis.OnePassForward;
import org.travelingwords.model.Fp32;
import org.travelingwords.model.HookListener;
import org.travelingwords.model.HookNames;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.LayerNormStats;
import org.travelingwords.model.TokenBatch;

/**
 * The sphere statistics of DESIGN §4, computed on the model's device from the residual hooks and
 * handed to a consumer as small per-token host arrays: activations never leave the
 * device whole. The forward is shared with the other enabled analyses ({@link #into}); the
 * residuals of the previous site are kept as unit vectors for the angles.
 */
public final class SphereAnalysis {

    private final HookedGpt2 model;
    private final boolean fullLens;
    private final HookPlan plan;
    private final float sqrtD;

    public SphereAnalysis(HookedGpt2 model, boolean fullLens) {
        this.model = model;
        this.fullLens = fullLens;
        int layers = model.config().nLayer();
        Set<String> hooks = new HashSet<>();
        for (int l = 0; l < layers; l++) {
            for (Site site : Site.values()) {
                hooks.add(HookNames.block(l, site.hookSuffix()));
            }
        }
        this.plan = HookPlan.forHooks(layers, hooks);
        this.sqrtD = (float) Math.sqrt(model.config().nEmbd());
    }

    /** The hooks this analysis reads: every residual site of every block. */
    public HookPlan plan() {
        return plan;
    }

    /** The metrics a site gets under this configuration, in the order of {@link SiteMetrics#values()}. */
    public List<SphereMetric> metricsAt(Site site) {
        List<SphereMetric> metrics = new ArrayList<>();
        for (SphereMetric m : SphereMetric.values()) {
            if (m.definedAt(site) && (fullLens || !m.needsFullLens())) {
                metrics.add(m);
            }
        }
        return metrics;
    }

    /** This analysis as one of those sharing a forward: each batch's (layer, site) metrics go to {@code onSite}. */
    public BatchAnalysis into(Consumer<SiteMetrics> onSite) {
        return new BatchAnalysis() {
            @Override
            public HookPlan plan() {
                return plan;
            }

            @Override
            public HookListener begin(TokenBatch batch, NDManager state) {
                BatchState batchState = new BatchState(state, batch);
                return (name, x) -> batchState.onResidual(name, x, onSite);
            }
        };
    }

    /** Runs one batch through the model for this analysis alone and streams every (layer, site)'s metrics to {@code onSite}. */
    public void run(TokenBatch batch, NDManager scope, Consumer<SiteMetrics> onSite) {
        OnePassForward.run(model, batch, scope, List.of(into(onSite)));
    }

    /** What one batch keeps between hooks: token embeddings for the lens and the last unit vectors. */
    private final class BatchState {
        private final NDManager state;
        private final TokenBatch batch;
        private final NDArray nextIds;       // [B, T], w_{t+1} (0 past the end; masked on the host)
        private final NDArray nextEmbed;     // E[w_{t+1}], [B, T, D]
        private final NDArray nextEmbedNorm; // ‖E[w_{t+1}]‖, [B, T]
        private final NDArray embedStep;     // E[w_{t+1}] − E[w_t], [B, T, D]
        private NDArray unitEmbed;           // x̂/‖x̂‖ of resid_pre(0)
        private NDArray unitPre;
        private NDArray unitMid;

        BatchState(NDManager state, TokenBatch batch) {
            this.state = state;
            this.batch = batch;
            int b = batch.batchSize();
            int t = batch.seqLen();
            long[] shifted = new long[b * t];
            for (int row = 0; row < b; row++) {
                System.arraycopy(batch.ids(), row * t + 1, shifted, row * t, t - 1);
            }
            NDArray ids = state.create(LongBuffer.wrap(batch.ids()), new Shape(b, t), DataType.INT64);
            nextIds = state.create(LongBuffer.wrap(shifted), new Shape(b, t), DataType.INT64);
            nextEmbed = embed(nextIds);
            nextEmbedNorm = nextEmbed.norm(new int[] {-1});
            embedStep = nextEmbed.sub(embed(ids));
        }

        private NDArray embed(NDArray ids) {
            return Fp32.of(ids.getNDArrayInternal().embedding(ids, model.tokenEmbedding(), SparseFormat.DENSE).singletonOrThrow());
        }

        void onResidual(String hook, NDArray residual, Consumer<SiteMetrics> onSite) {
            NDArray x = Fp32.of(residual); // statistics in fp32 whatever the model's precision
            int layer = HookNames.layerOf(hook);
            Site site = siteOf(hook);
            LayerNormStats ln = LayerNormStats.of(x, (float) model.config().layerNormEpsilon());
            NDArray mean = ln.mean();                                               // μ(x)
            NDArray scale = ln.scale();                                             // σ(x), ε included
            NDArray normalized = ln.normalized();                                   // x̂
            NDArray normalizedNorm = normalized.norm(new int[] {-1}, true);
            NDArray unit = normalized.div(normalizedNorm);
            NDArray norm = x.norm(new int[] {-1});

            List<SphereMetric> metrics = metricsAt(site);
            NDArray[] columns = new NDArray[metrics.size()];
            NDArray lens = site == Site.RESID_POST ? Fp32.of(model.finalLayerNorm(x)) : null;
            for (int i = 0; i < columns.length; i++) {
                columns[i] = switch (metrics.get(i)) {
                    case NORM -> norm;
                    case COORD_MEAN -> mean.squeeze(-1);
                    case ONES_COS -> mean.squeeze(-1).mul(sqrtD).div(norm);
                    case SCALE -> scale.squeeze(-1);
                    case RADIUS_ERROR -> normalizedNorm.squeeze(-1).sub(sqrtD);
                    case STEP_ANGLE -> angle(unit, site == Site.RESID_MID ? unitPre : unitMid);
                    case LAYER_ANGLE -> angle(unit, unitPre);
                    case EMBED_ANGLE -> layer == 0 && site == Site.RESID_PRE ? norm.zerosLike() : angle(unit, unitEmbed);
                    case NEXT_COS -> lens.mul(nextEmbed).sum(new int[] {-1})
                            .div(lens.norm(new int[] {-1}).mul(nextEmbedNorm));
                    case LOG_RATIO -> lens.mul(embedStep).sum(new int[] {-1});
                    case NEXT_LOGPROB, NEXT_RANK, LENS_ENTROPY -> null; // filled below, one row at a time
                };
            }
            if (fullLens && site == Site.RESID_POST) {
                NDArray[] full = fullLens(lens);
                columns[metrics.indexOf(SphereMetric.NEXT_LOGPROB)] = full[0];
                columns[metrics.indexOf(SphereMetric.NEXT_RANK)] = full[1];
                columns[metrics.indexOf(SphereMetric.LENS_ENTROPY)] = full[2];
            }
            float[] flat = NDArrays.stack(new NDList(columns)).toType(DataType.FLOAT32, false).toFloatArray();
            keep(layer, site, unit);
            onSite.accept(new SiteMetrics(layer, site, metrics, unpack(flat, metrics), batch));
        }

        /**
         * Logit lens over the whole vocabulary (DESIGN §4, optional): log p(w_{t+1}), its 0-based
         * rank and the entropy, one batch row at a time so that [T, V] is the largest array.
         */
        private NDArray[] fullLens(NDArray lens) {
            int rows = batch.batchSize();
            NDList logprobs = new NDList();
            NDList ranks = new NDList();
            NDList entropies = new NDList();
            for (int row = 0; row < rows; row++) {
                NDArray logp = Fp32.of(model.unembed(lens.get(row))).logSoftmax(-1);     // [T, V]
                NDArray next = nextIds.get(row).expandDims(-1);                        // [T, 1]
                NDArray nextLogp = logp.gather(next, 1);                               // [T, 1]
                logprobs.add(nextLogp.squeeze(-1));
                ranks.add(logp.gt(nextLogp).toType(DataType.FLOAT32, false).sum(new int[] {-1}));
                entropies.add(logp.exp().mul(logp).sum(new int[] {-1}).neg());
            }
            return new NDArray[] {NDArrays.stack(logprobs), NDArrays.stack(ranks), NDArrays.stack(entropies)};
        }

        /** ∠(a, b) for unit vectors as 2·asin(‖a − b‖/2): stable near 0, unlike arccos (DESIGN §4). */
        private NDArray angle(NDArray unitA, NDArray unitB) {
            return unitA.sub(unitB).norm(new int[] {-1}).div(2f).clip(0f, 1f).asin().mul(2f);
        }

        /** Moves the unit vectors later sites compare against out of the block's scope. */
        private void keep(int layer, Site site, NDArray unit) {
            switch (site) {
                case RESID_PRE -> {
                    if (unitPre != null && unitPre != unitEmbed) {
                        unitPre.close();
                    }
                    unit.attach(state);
                    unitPre = unit;
                    if (layer == 0) {
                        unitEmbed = unit;
                    }
                }
                case RESID_MID -> {
                    if (unitMid != null) {
                        unitMid.close();
                    }
                    unit.attach(state);
                    unitMid = unit;
                }
                case RESID_POST -> { }
            }
        }

        /** [M·B·T] → M arrays with padding, and next-token metrics at each row's last token, set to NaN. */
        private float[][] unpack(float[] flat, List<SphereMetric> metrics) {
            int cells = batch.batchSize() * batch.seqLen();
            float[][] values = new float[metrics.size()][];
            for (int m = 0; m < values.length; m++) {
                float[] column = new float[cells];
                System.arraycopy(flat, m * cells, column, 0, cells);
                int end = metrics.get(m).needsNextToken() ? 1 : 0;
                for (int row = 0; row < batch.batchSize(); row++) {
                    int from = row * batch.seqLen() + batch.lengths()[row] - end;
                    java.util.Arrays.fill(column, from, (row + 1) * batch.seqLen(), Float.NaN);
                }
                values[m] = column;
            }
            return values;
        }
    }

    private static Site siteOf(String hook) {
        for (Site site : Site.values()) {
            if (hook.endsWith(site.hookSuffix())) {
                return site;
            }
        }
        throw new IllegalArgumentException("not a residual hook: " + hook);
    }
}
