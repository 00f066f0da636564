package org.travelingwords.attention;

import java.nio.FloatBuffer;

/**
 * DESIGN §5's pattern metrics of every query in one pass over a CPU pattern's and scores' memory:
 * the same columns {@link HeadAnalysis} reduces on a GPU with tensor operations. On a CPU those cost
 * a pass over the [B, H, T, T] pattern each; libtorch's argmax over the last axis alone took 16 ms per
 * GPT-2 layer at 8 × 256 tokens on one thread, the whole reduction ≈ 25 ms, this scan 8–13 ms.
 *
 * <p>Only keys k ≤ t are read: the causal mask makes p_k exactly 0 beyond, so the strongest key after
 * the sink, the first largest p_k with k ≥ 1, is the one an argmax over every k finds (k* = 1 when
 * all are 0, at t = 0 too).
 */
final class PatternScan {

    /** The columns, in their order in {@link #scan}'s result: the pattern's metrics in {@link HeadMetric}'s order first. */
    static final int ENTROPY = HeadMetric.ENTROPY.ordinal();
    static final int SINK = HeadMetric.SINK.ordinal();
    static final int SELF = HeadMetric.SELF.ordinal();
    static final int PREV = HeadMetric.PREV.ordinal();
    static final int DISTANCE = HeadMetric.DISTANCE.ordinal();
    static final int KEY_WEIGHT = 5;
    static final int KEY_POSITION = 6;
    static final int COLUMNS = 7;

    private PatternScan() {
    }

    /**
     * @param pattern p, [R, T, T] row-major (R = B·H), T ≥ 2
     * @param scores  the masked scores s the pattern is the softmax of, same layout
     * @return [{@value #COLUMNS}, R·T]: the entropy, p_0, p_t, p_{t−1} (p_0 at t = 0), Σ_k p_k (t − k),
     *         p_k* and k*; the entropy is lse − Σ_{k≤t} p_k s_k with lse = s_j − ln p_j at the larger of
     *         p_0 and p_k*, clamped at 0, as {@link HeadAnalysis} explains
     */
    static float[] scan(FloatBuffer pattern, FloatBuffer scores, int rows, int seqLen) {
        int queries = rows * seqLen;
        float[] columns = new float[COLUMNS * queries];
        float[] p = new float[seqLen];
        float[] s = new float[seqLen];
        for (int query = 0; query < queries; query++) {
            int t = query % seqLen;
            int row = query * seqLen;                       // p[r, t, 0]
            // One bulk copy per row: the JIT's loops over arrays run about twice as fast as buffer reads.
            pattern.get(row, p, 0, t + 1);
            scores.get(row, s, 0, t + 1);
            float keySum = 0;                               // Σ_k p_k·k
            float scoreSum = p[0] * s[0];                   // Σ_{k≤t} p_k·s_k
            for (int k = 1; k <= t; k++) {
                float weight = p[k];
                keySum += weight * k;
                scoreSum += weight * s[k];
            }
            int strongest = 1;
            float strongestWeight = t >= 1 ? p[1] : 0f;
            for (int k = 2; k <= t; k++) {
                if (p[k] > strongestWeight) {
                    strongest = k;
                    strongestWeight = p[k];
                }
            }
            float sink = p[0];
            boolean sinkWins = sink >= strongestWeight;
            float lse = s[sinkWins ? 0 : strongest] - (float) Math.log(sinkWins ? sink : strongestWeight);
            columns[ENTROPY * queries + query] = Math.max(lse - scoreSum, 0f);
            columns[SINK * queries + query] = sink;
            columns[SELF * queries + query] = p[t];
            columns[PREV * queries + query] = p[Math.max(t - 1, 0)];
            columns[DISTANCE * queries + query] = t - keySum;
            columns[KEY_WEIGHT * queries + query] = strongestWeight;
            columns[KEY_POSITION * queries + query] = strongest;
        }
        return columns;
    }
}
