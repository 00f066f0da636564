package org.travelingwords.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
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
 * The device-side sphere metrics against a second, plain-Java implementation in double that
 * reads the same residuals: every metric of DESIGN §4 at every valid token, padding and
 * last-token cells NaN.
 */
class SphereAnalysisTest {

    private static final Gpt2Config CONFIG = Gpt2Config.of(3, 4, 32, 120, 32);
    private static final int[][] ROWS = {
        {5, 17, 99, 3, 3, 42, 7, 8, 64, 11, 0, 119},
        {1, 2, 3, 4, 5},
        {77, 76},
    };

    @Test
    void metricsMatchPlainJavaReference() {
        Gpt2Weights weights = RandomGpt2.generate(CONFIG, 11, 0.3);
        TokenBatch batch = TokenBatch.of(ROWS);
        List<SiteMetrics> received = new ArrayList<>();
        HookCapture residuals = new HookCapture();
        try (HookedGpt2 model = HookedGpt2.load(weights, Device.cpu());
             NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SphereAnalysis analysis = new SphereAnalysis(model, true);
            analysis.run(batch, scope, received::add);
            model.forward(batch, HookPlan.forHooks(3, new LinkedHashSet<>(analysis.plan().hooks())), residuals, scope);
        }
        assertEquals(3 * 3, received.size());
        Reference reference = new Reference(weights, residuals, batch);
        int checked = 0;
        for (SiteMetrics site : received) {
            for (SphereMetric metric : site.metrics()) {
                float[] values = site.valuesOf(metric);
                for (int b = 0; b < ROWS.length; b++) {
                    for (int t = 0; t < batch.seqLen(); t++) {
                        float actual = values[b * batch.seqLen() + t];
                        double expected = reference.metric(site.layer(), site.site(), metric, b, t);
                        if (Double.isNaN(expected)) {
                            assertTrue(Float.isNaN(actual), metric + " should be NaN at " + b + "," + t);
                        } else {
                            double tolerance = metric == SphereMetric.NEXT_RANK ? 0.5 : 1e-4 * Math.max(1, Math.abs(expected));
                            assertEquals(expected, actual, tolerance,
                                    metric.label() + " layer " + site.layer() + " " + site.site() + " row " + b + " pos " + t);
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 500, "checked " + checked);
    }

    /** DESIGN §4 in double on the host, from the captured residuals. */
    private static final class Reference {
        private final Gpt2Weights weights;
        private final HookCapture residuals;
        private final TokenBatch batch;
        private final int d = CONFIG.nEmbd();

        Reference(Gpt2Weights weights, HookCapture residuals, TokenBatch batch) {
            this.weights = weights;
            this.residuals = residuals;
            this.batch = batch;
        }

        double metric(int layer, Site site, SphereMetric metric, int b, int t) {
            int length = ROWS[b].length;
            if (t >= length || (metric.needsNextToken() && t >= length - 1)) {
                return Double.NaN;
            }
            double[] x = vector(layer, site, b, t);
            double mu = mean(x);
            double sigma = Math.sqrt(variance(x) + 1e-5);
            double[] xhat = new double[d];
            for (int i = 0; i < d; i++) {
                xhat[i] = (x[i] - mu) / sigma;
            }
            switch (metric) {
                case NORM: return norm(x);
                case COORD_MEAN: return mu;
                case ONES_COS: return mu * Math.sqrt(d) / norm(x);
                case SCALE: return sigma;
                case RADIUS_ERROR: return norm(xhat) - Math.sqrt(d);
                case STEP_ANGLE: return angle(xhat, normalized(layer, site == Site.RESID_MID ? Site.RESID_PRE : Site.RESID_MID, b, t));
                case LAYER_ANGLE: return angle(xhat, normalized(layer, Site.RESID_PRE, b, t));
                case EMBED_ANGLE: return angle(xhat, normalized(0, Site.RESID_PRE, b, t));
                default: break;
            }
            double[] lens = finalNorm(x);
            int next = ROWS[b][t + (metric == SphereMetric.LENS_ENTROPY ? 0 : 1)];
            double[] eNext = embedding(next);
            switch (metric) {
                case NEXT_COS: return dot(lens, eNext) / (norm(lens) * norm(eNext));
                case LOG_RATIO: return dot(lens, eNext) - dot(lens, embedding(ROWS[b][t]));
                default: break;
            }
            double[] logits = new double[CONFIG.vocabSize()];
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < logits.length; v++) {
                logits[v] = dot(lens, embedding(v));
                max = Math.max(max, logits[v]);
            }
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l - max);
            }
            double lse = max + Math.log(sum);
            switch (metric) {
                case NEXT_LOGPROB: return logits[next] - lse;
                case NEXT_RANK: {
                    int rank = 0;
                    for (double l : logits) {
                        rank += l > logits[next] ? 1 : 0;
                    }
                    return rank;
                }
                case LENS_ENTROPY: {
                    double h = 0;
                    for (double l : logits) {
                        h -= Math.exp(l - lse) * (l - lse);
                    }
                    return h;
                }
                default: throw new IllegalStateException(metric.name());
            }
        }

        private double[] vector(int layer, Site site, int b, int t) {
            HostTensor hook = residuals.get(HookNames.block(layer, site.hookSuffix()));
            double[] x = new double[d];
            int offset = (b * batch.seqLen() + t) * d;
            for (int i = 0; i < d; i++) {
                x[i] = hook.data()[offset + i];
            }
            return x;
        }

        private double[] normalized(int layer, Site site, int b, int t) {
            double[] x = vector(layer, site, b, t);
            double mu = mean(x);
            double sigma = Math.sqrt(variance(x) + 1e-5);
            for (int i = 0; i < d; i++) {
                x[i] = (x[i] - mu) / sigma;
            }
            return x;
        }

        private double[] finalNorm(double[] x) {
            double mu = mean(x);
            double sigma = Math.sqrt(variance(x) + 1e-5);
            float[] gain = weights.get("ln_f.weight").data();
            float[] bias = weights.get("ln_f.bias").data();
            double[] out = new double[d];
            for (int i = 0; i < d; i++) {
                out[i] = (x[i] - mu) / sigma * gain[i] + bias[i];
            }
            return out;
        }

        private double[] embedding(int token) {
            float[] wte = weights.get("wte.weight").data();
            double[] e = new double[d];
            for (int i = 0; i < d; i++) {
                e[i] = wte[token * d + i];
            }
            return e;
        }

        private static double angle(double[] a, double[] b) {
            return Math.acos(Math.max(-1, Math.min(1, dot(a, b) / (norm(a) * norm(b)))));
        }

        private static double mean(double[] x) {
            double s = 0;
            for (double v : x) {
                s += v;
            }
            return s / x.length;
        }

        private static double variance(double[] x) {
            double mu = mean(x);
            double s = 0;
            for (double v : x) {
                s += (v - mu) * (v - mu);
            }
            return s / x.length;
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
