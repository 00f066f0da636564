package org.travelingwords.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HostTensor;
import org.travelingwords.model.RandomGpt2;

/** The factored SVD reconstructs W = c·A·Bᵀ exactly, and the sign rule picks one sign whatever the SVD returned. */
class FactoredSvdTest {

    @Test
    void reconstructsTheProductWithOrthonormalFactors() {
        for (int[] shape : new int[][] {{24, 6}, {768, 64}}) {
            int d = shape[0];
            int r = shape[1];
            float[] a = gaussian(d * r, 1);
            float[] b = gaussian(d * r, 2);
            double scale = 1 / Math.sqrt(r);
            FactoredSvd svd = FactoredSvd.of(a, b, d, r, scale);

            double[] u = svd.left();
            double[] v = svd.right();
            double[] s = svd.singularValues();
            double maxError = 0;
            double maxEntry = 0;
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double w = 0;
                    double usv = 0;
                    for (int k = 0; k < r; k++) {
                        w += (double) a[i * r + k] * b[j * r + k];
                        usv += u[i * r + k] * s[k] * v[j * r + k];
                    }
                    maxError = Math.max(maxError, Math.abs(scale * w - usv));
                    maxEntry = Math.max(maxEntry, Math.abs(scale * w));
                }
            }
            assertTrue(maxError < 1e-12 * maxEntry * d, "U·S·Vᵀ differs from W by " + maxError);
            assertOrthonormalColumns(u, d, r);
            assertOrthonormalColumns(v, d, r);
            for (int k = 1; k < r; k++) {
                assertTrue(s[k - 1] >= s[k] && s[k] >= 0, "singular values descend");
            }
            if (d <= 64) {
                assertArrayEquals(fullSvdValues(a, b, d, r, scale, r), s, 1e-12 * s[0], "singular values of the D×D matrix");
            }
        }
    }

    /**
     * W_VO = diag(3, 2, 1, 0.5) in a 4-dimensional model: its first pair is ±e₀. The reference rows E
     * project on e₀ as 1 (token 0) and −3 (token 1), so the rule turns the pair to −e₀: token 1 first
     * on the right, and the left vector flipped with it. Negating W_V and W_O leaves W_VO and so the
     * answer unchanged, whatever signs the decomposition hands back.
     */
    @Test
    void signRuleFollowsTheLargestProjectionOfTheRightVector() {
        Gpt2Weights weights = withEmbedding(RandomGpt2.generate(Gpt2Config.of(1, 1, 4, 6, 4), 5, 0.2), new float[] {
                1.0f, 0.3f, -0.2f, 0.1f,
                -3.0f, 0.2f, 0.4f, -0.1f,
                0.5f, -1.0f, 0.3f, 0.2f,
                -0.2f, 0.6f, -0.8f, 0.4f,
                0.1f, 0.1f, 0.9f, -0.6f,
                0.8f, -0.4f, 0.2f, 0.7f});
        float[] value = {3, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.5f};
        float[] identity = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        try (ProbeSpace space = ProbeSpace.open(weights, Device.cpu())) {
            List<SvdProbe.Hit> hits = SvdProbe.run(space, head(value, identity), SvdProbe.Matrix.VO, 6);
            SvdProbe.Hit first = hits.get(0);
            assertEquals(3.0, first.singularValue(), 1e-12);
            assertArrayEquals(new int[] {1, 3, 4, 2, 5, 0}, first.rightTokenIds(), "E·(−e₀) in descending order");
            double[] firstCoordinate = new double[6];
            double[] ln1 = layerNorm1(weights);
            for (int t = 0; t < 6; t++) {
                firstCoordinate[t] = -3 * ln1[t * 4];                                // LN1(E)·(−3e₀)
            }
            assertArrayEquals(TopTokens.largest(firstCoordinate, 6), first.leftTokenIds(), "left flipped with the right");

            List<SvdProbe.Hit> negated = SvdProbe.run(space, head(negate(value), negate(identity)), SvdProbe.Matrix.VO, 6);
            for (int i = 0; i < hits.size(); i++) {
                assertArrayEquals(hits.get(i).rightTokenIds(), negated.get(i).rightTokenIds());
                assertArrayEquals(hits.get(i).leftTokenIds(), negated.get(i).leftTokenIds());
            }
        }
    }

    @Test
    void signRuleKeepsATieAndFlipsOnlyWhenTheNegationReachesFurther() {
        assertFalse(SignRule.flip(new double[] {2, -2}, 0, 2, 1), "max = −min: keep");
        assertTrue(SignRule.flip(new double[] {1, -3, 0}, 0, 3, 1));
        assertFalse(SignRule.flip(new double[] {3, -1, 0}, 0, 3, 1));
        assertTrue(SignRule.flip(new double[] {9, 1, 9, -3}, 1, 2, 2), "strided: reads 1 and −3, not the 9s");
    }

    private static HeadWeights head(float[] value, float[] output) {
        float[] zero4 = new float[4];
        float[] zero16 = new float[16];
        return new HeadWeights(0, 0, 4, 4, zero16, zero16, value, output, zero4, zero4, zero4);
    }

    private static Gpt2Weights withEmbedding(Gpt2Weights weights, float[] embedding) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>(weights.tensors());
        tensors.put("wte.weight", new HostTensor(new long[] {6, 4}, embedding));
        return new Gpt2Weights(weights.config(), tensors);
    }

    /** LN1 of block 0 over E, in double, straight from DESIGN §2. */
    private static double[] layerNorm1(Gpt2Weights weights) {
        float[] e = weights.get("wte.weight").data();
        float[] gain = weights.get("h.0.ln_1.weight").data();
        float[] bias = weights.get("h.0.ln_1.bias").data();
        double[] out = new double[e.length];
        for (int t = 0; t < e.length / 4; t++) {
            double mean = 0;
            for (int i = 0; i < 4; i++) {
                mean += e[t * 4 + i] / 4.0;
            }
            double var = 0;
            for (int i = 0; i < 4; i++) {
                var += (e[t * 4 + i] - mean) * (e[t * 4 + i] - mean) / 4.0;
            }
            for (int i = 0; i < 4; i++) {
                out[t * 4 + i] = (e[t * 4 + i] - mean) / Math.sqrt(var + 1e-5) * gain[i] + bias[i];
            }
        }
        return out;
    }

    private static double[] fullSvdValues(float[] a, float[] b, int d, int r, double scale, int n) {
        DMatrixRMaj w = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                for (int k = 0; k < r; k++) {
                    sum += (double) a[i * r + k] * b[j * r + k];
                }
                w.set(i, j, scale * sum);
            }
        }
        double[] values = SingularOps_DDRM.singularValues(w);
        java.util.Arrays.sort(values);
        double[] top = new double[n];
        for (int i = 0; i < n; i++) {
            top[i] = values[values.length - 1 - i];
        }
        return top;
    }

    private static void assertOrthonormalColumns(double[] m, int rows, int cols) {
        for (int p = 0; p < cols; p++) {
            for (int q = 0; q < cols; q++) {
                double dot = 0;
                for (int i = 0; i < rows; i++) {
                    dot += m[i * cols + p] * m[i * cols + q];
                }
                assertEquals(p == q ? 1.0 : 0.0, dot, 1e-10);
            }
        }
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    private static float[] negate(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = -values[i];
        }
        return out;
    }
}
