package org.travelingwords.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.RandomGpt2;

/**
 * The mean view against plain Java in double: scores s = E·(γ_f ⊙ m + β_f), their standardized
 * cosines, unit writes whose centered scores are the unit standardized vectors, and a write without
 * direction; and the ranking of a direction on the vocabulary.
 */
class MeanViewScoresTest {

    private static final Gpt2Config CONFIG = Gpt2Config.of(1, 2, 16, 120, 8);

    @Test
    void meanViewMatchesPlainJava() {
        Gpt2Weights weights = RandomGpt2.generate(CONFIG, 9, 0.5);
        SplittableRandom random = new SplittableRandom(1);
        float[][] means = new float[3][16];
        for (int i = 0; i < 2; i++) {
            for (int d = 0; d < 16; d++) {
                means[i][d] = (float) random.nextGaussian();
            }
        }
        // The third write cancels β_f exactly where γ_f is 1: with γ_f = 1 everywhere its scores are all 0.
        float[] gain = weights.get("ln_f.weight").data();
        float[] bias = weights.get("ln_f.bias").data();
        Arrays.fill(gain, 1f);
        for (int d = 0; d < 16; d++) {
            means[2][d] = -bias[d];
        }
        float[] e = weights.get("wte.weight").data();
        int v = CONFIG.vocabSize();
        double[][] z = new double[3][v];
        for (int i = 0; i < 3; i++) {
            double[] s = new double[v];
            for (int t = 0; t < v; t++) {
                for (int d = 0; d < 16; d++) {
                    s[t] += e[t * 16 + d] * (gain[d] * means[i][d] + bias[d]);
                }
            }
            double mean = Arrays.stream(s).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(s).map(x -> (x - mean) * (x - mean)).sum() / v);
            for (int t = 0; t < v; t++) {
                z[i][t] = sd == 0 ? 0 : (s[t] - mean) / sd;
            }
        }
        try (HookedGpt2 model = HookedGpt2.load(weights, Device.cpu());
             NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            MeanViewScores.Result view = MeanViewScores.score(model, List.of(means), 5, scope);
            assertArrayEquals(new boolean[] {true, true, false}, view.directional());
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    double cos = 0;
                    for (int t = 0; t < v; t++) {
                        cos += z[i][t] * z[j][t] / v;
                    }
                    assertEquals(cos, view.cosines()[i][j], 1e-5, "cosine " + i + "," + j);
                }
                assertEquals(0, view.cosines()[i][2], 1e-12);
                // (E − 1·ēᵀ)·u = z/√V
                double[] u = view.unitWrites()[i];
                double[] projected = new double[v];
                double[] meanRow = new double[16];
                for (int t = 0; t < v; t++) {
                    for (int d = 0; d < 16; d++) {
                        meanRow[d] += e[t * 16 + d] / (double) v;
                    }
                }
                for (int t = 0; t < v; t++) {
                    for (int d = 0; d < 16; d++) {
                        projected[t] += (e[t * 16 + d] - meanRow[d]) * u[d];
                    }
                    assertEquals(z[i][t] / Math.sqrt(v), projected[t], 1e-5, "unit write of " + i + " at " + t);
                }
                int best = IntStream.range(0, v).boxed().max((a, b) -> Double.compare(z[0][a], z[0][b])).orElseThrow();
                if (i == 0) {
                    assertEquals(best, view.topTokens()[0][0]);
                    assertEquals(best, MeanViewScores.topTokens(model, List.of(u), 3, scope)[0][0], "ranked direction");
                }
            }
            assertTrue(Arrays.stream(view.unitWrites()[2]).allMatch(x -> x == 0));
            assertFalse(view.directional()[2]);
            assertEquals(5, view.topTokens()[1].length);
        }
    }
}
