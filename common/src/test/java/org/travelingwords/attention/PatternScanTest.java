package org.travelingwords.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * The edge cases of {@link PatternScan} that random models seldom reach: ties between keys (the first
 * largest wins, as an argmax's does), a tie between the sink and the strongest key, and keys whose
 * weight underflowed to 0. Scores are ln p + c, so each row's entropy is −Σ p ln p whatever c is.
 */
class PatternScanTest {

    private static final int T = 4;
    private static final float UNDERFLOW = -200f; // exp(-200) is 0 in float32
    private static final float MASKED = Float.NEGATIVE_INFINITY;

    @Test
    void breaksTiesLikeAnArgmaxAndSurvivesUnderflow() {
        float[][] p = {
            {1, 0, 0, 0},
            {0.5f, 0.5f, 0, 0},
            {0.2f, 0.4f, 0.4f, 0},
            {1, 0, 0, 0},
        };
        float[] c = {3, -1, 7, 0.5f};
        float[] pattern = new float[T * T];
        float[] scores = new float[T * T];
        for (int t = 0; t < T; t++) {
            for (int k = 0; k < T; k++) {
                pattern[t * T + k] = p[t][k];
                scores[t * T + k] = k > t ? MASKED : p[t][k] == 0 ? UNDERFLOW : (float) Math.log(p[t][k]) + c[t];
            }
        }
        float[] columns = PatternScan.scan(FloatBuffer.wrap(pattern), FloatBuffer.wrap(scores), 1, T);

        float[] entropy = {0, (float) Math.log(2), (float) -(0.2 * Math.log(0.2) + 0.8 * Math.log(0.4)), 0};
        float[] distance = {0, 0.5f, 0.8f, 3};
        int[] strongest = {1, 1, 1, 1};
        float[] strongestWeight = {0, 0.5f, 0.4f, 0};
        for (int t = 1; t < T; t++) {
            assertEquals(entropy[t], columns[PatternScan.ENTROPY * T + t], 1e-5, "entropy at t " + t);
            assertEquals(p[t][0], columns[PatternScan.SINK * T + t], "sink at t " + t);
            assertEquals(p[t][t], columns[PatternScan.SELF * T + t], "self at t " + t);
            assertEquals(p[t][t - 1], columns[PatternScan.PREV * T + t], "prev at t " + t);
            assertEquals(distance[t], columns[PatternScan.DISTANCE * T + t], 1e-6, "distance at t " + t);
            assertEquals(strongest[t], columns[PatternScan.KEY_POSITION * T + t], "k* at t " + t);
            assertEquals(strongestWeight[t], columns[PatternScan.KEY_WEIGHT * T + t], "p_k* at t " + t);
        }
    }
}
