package org.travelingwords.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.travelingwords.analysis.OnePassForward;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HookCapture;
import org.travelingwords.model.HookNames;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.HostTensor;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.model.TokenBatch;

/**
 * The device-side head reductions against a plain-Java implementation in double that reads the
 * same pattern, result and resid_pre hooks: every DESIGN §5 metric, the strongest key after the
 * sink, the write sums and (scored by the analysis' {@link PromotedScorer}) the promoted tokens, at
 * every cell; position 0 and padding undefined.
 */
class HeadAnalysisTest {

    /** A vocabulary of three {@link HeadOutputWeights#VOCABULARY_CHUNK} column chunks, the last one short. */
    private static final Gpt2Config CONFIG = Gpt2Config.of(3, 4, 32, 2 * HeadOutputWeights.VOCABULARY_CHUNK + 808, 32);
    private static final int[][] ROWS = {
        {5, 17, 99, 3, 3, 42, 7, 8, 64, 11, 0, 119},
        {1, 2, 3, 4, 5},
        {77, 76},
    };
    /** Cells b·T + t: row 0 at t = 1 and 11 (its last token), row 1 at t = 4. */
    private static final int[] PROMOTED = {1, 11, 12 + 4};

    /**
     * Budget 0: no promoted projection, so the head results of the sampled queries are built instead.
     * Without the host scan, the pattern is reduced by the tensor operations a GPU runs.
     */
    @ParameterizedTest(name = "projection budget {0} bytes, pattern scanned on the host: {1}")
    @CsvSource({HeadOutputWeights.PROJECTION_BUDGET_BYTES + ", true", HeadOutputWeights.PROJECTION_BUDGET_BYTES + ", false",
        "0, true"})
    void reductionsMatchPlainJavaReference(long projectionBudget, boolean scanOnHost) {
        Gpt2Weights weights = RandomGpt2.generate(CONFIG, 13, 0.4);
        TokenBatch batch = TokenBatch.of(ROWS);
        List<HeadLayer> layers = new ArrayList<>();
        Map<Integer, int[]> promoted = new HashMap<>();
        HookCapture hooks = new HookCapture();
        try (HookedGpt2 model = HookedGpt2.load(weights, Device.cpu());
             NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            HeadAnalysis analysis = new HeadAnalysis(model, projectionBudget, scanOnHost);
            OnePassForward.run(model, batch, scope, List.of(analysis.into(PROMOTED, layers::add)));
            PromotedScorer scorer = analysis.promotedScorer((layer, tokens) -> assertNull(promoted.put(layer, tokens)));
            layers.forEach(scorer::add);
            scorer.flush();
            model.forward(batch, withResults(analysis.plan()), hooks, scope);
        }
        assertEquals(CONFIG.nLayer(), layers.size());
        Reference reference = new Reference(weights, hooks, batch);
        int checked = 0;
        for (HeadLayer layer : layers) {
            for (int b = 0; b < ROWS.length; b++) {
                for (int h = 0; h < CONFIG.nHead(); h++) {
                    for (int t = 0; t < batch.seqLen(); t++) {
                        int at = layer.index(b, h, t);
                        String where = "layer " + layer.layer() + " row " + b + " head " + h + " t " + t;
                        if (t == 0 || t >= ROWS[b].length) {
                            for (float[] metric : layer.metrics()) {
                                assertTrue(Float.isNaN(metric[at]), where + " should be undefined");
                            }
                            assertEquals(-1, layer.keyPositions()[at], where);
                            continue;
                        }
                        for (HeadMetric metric : HeadMetric.values()) {
                            double expected = reference.metric(layer.layer(), metric, b, h, t);
                            assertEquals(expected, layer.metrics()[metric.ordinal()][at], 1e-4 * Math.max(1, Math.abs(expected)),
                                    metric.label() + " " + where);
                            checked++;
                        }
                        int key = reference.strongestKey(layer.layer(), b, h, t);
                        assertEquals(key, layer.keyPositions()[at], "k* " + where);
                        assertEquals(reference.p(layer.layer(), b, h, t, key), layer.keyWeights()[at], 1e-5, "p_k* " + where);
                    }
                }
            }
            double[] sums = reference.writeSums(layer.layer());
            for (int i = 0; i < sums.length; i++) {
                assertEquals(sums[i], layer.writeSums()[i], 1e-4 * Math.max(1, Math.abs(sums[i])), "write sum " + i);
            }
            assertEquals(11 + 4 + 1, layer.writeTokens());
            assertArrayEquals(PROMOTED, layer.promotedCells());
            for (int i = 0; i < PROMOTED.length; i++) {
                for (int h = 0; h < CONFIG.nHead(); h++) {
                    assertEquals(reference.promoted(layer.layer(), PROMOTED[i], h), promoted.get(layer.layer())[i * CONFIG.nHead() + h],
                            "promoted token of cell " + PROMOTED[i] + " head " + h + " layer " + layer.layer());
                }
            }
        }
        assertTrue(checked > 1000, "checked " + checked);
    }

    /** The analysis's hooks plus each block's attn.hook_result, the per-head writes the reference reads. */
    private static HookPlan withResults(HookPlan plan) {
        Set<String> hooks = new HashSet<>(plan.hooks());
        for (int l = 0; l < CONFIG.nLayer(); l++) {
            hooks.add(HookNames.block(l, "attn.hook_result"));
        }
        return HookPlan.forHooks(CONFIG.nLayer(), hooks);
    }

    /** DESIGN §5 in double on the host, from the captured hooks. */
    private static final class Reference {
        private final Gpt2Weights weights;
        private final HookCapture hooks;
        private final int seqLen;
        private final int heads = CONFIG.nHead();
        private final int d = CONFIG.nEmbd();

        Reference(Gpt2Weights weights, HookCapture hooks, TokenBatch batch) {
            this.weights = weights;
            this.hooks = hooks;
            this.seqLen = batch.seqLen();
        }

        double p(int layer, int b, int h, int t, int k) {
            return hooks.get(HookNames.block(layer, "attn.hook_pattern")).data()[((b * heads + h) * seqLen + t) * seqLen + k];
        }

        double[] result(int layer, int b, int t, int h) {
            float[] data = hooks.get(HookNames.block(layer, "attn.hook_result")).data();
            double[] r = new double[d];
            for (int i = 0; i < d; i++) {
                r[i] = data[((b * seqLen + t) * heads + h) * d + i];
            }
            return r;
        }

        double metric(int layer, HeadMetric metric, int b, int h, int t) {
            switch (metric) {
                case ENTROPY: {
                    double entropy = 0;
                    for (int k = 0; k <= t; k++) {
                        double p = p(layer, b, h, t, k);
                        entropy -= p > 0 ? p * Math.log(p) : 0;
                    }
                    return entropy;
                }
                case SINK: return p(layer, b, h, t, 0);
                case SELF: return p(layer, b, h, t, t);
                case PREV: return p(layer, b, h, t, t - 1);
                case DISTANCE: {
                    double distance = 0;
                    for (int k = 0; k <= t; k++) {
                        distance += p(layer, b, h, t, k) * (t - k);
                    }
                    return distance;
                }
                case RESULT_NORM: return norm(result(layer, b, t, h));
                case RESULT_COS: {
                    HostTensor resid = hooks.get(HookNames.block(layer, "hook_resid_pre"));
                    double[] x = new double[d];
                    for (int i = 0; i < d; i++) {
                        x[i] = resid.data()[(b * seqLen + t) * d + i];
                    }
                    double[] r = result(layer, b, t, h);
                    return dot(r, x) / (norm(r) * norm(x));
                }
                default: throw new IllegalStateException(metric.name());
            }
        }

        int strongestKey(int layer, int b, int h, int t) {
            int best = 1;
            for (int k = 2; k <= t; k++) {
                if (p(layer, b, h, t, k) > p(layer, b, h, t, best)) {
                    best = k;
                }
            }
            return best;
        }

        double[] writeSums(int layer) {
            double[] sums = new double[heads * d];
            for (int b = 0; b < ROWS.length; b++) {
                for (int t = 1; t < ROWS[b].length; t++) {
                    for (int h = 0; h < heads; h++) {
                        double[] r = result(layer, b, t, h);
                        for (int i = 0; i < d; i++) {
                            sums[h * d + i] += r[i];
                        }
                    }
                }
            }
            return sums;
        }

        /** argmax_v E[v]·(γ_f ⊙ result_h(t)). */
        int promoted(int layer, int cell, int h) {
            double[] r = result(layer, cell / seqLen, cell % seqLen, h);
            float[] gain = weights.get("ln_f.weight").data();
            float[] embedding = weights.get("wte.weight").data();
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < CONFIG.vocabSize(); v++) {
                double score = 0;
                for (int i = 0; i < d; i++) {
                    score += embedding[v * d + i] * gain[i] * r[i];
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = v;
                }
            }
            return best;
        }

        private static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += a[i] * b[i];
            }
            return s;
        }

        private static double norm(double[] a) {
            return Math.sqrt(dot(a, a));
        }
    }
}
