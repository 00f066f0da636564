package org.travelingwords.attention;

import org.travelingwords.model.TokenBatch;

/**
 * One layer's attention heads for one batch, reduced on the device and copied to the host
 * (DESIGN §5). Per-query arrays are indexed (b·H + h)·T + t for batch row b, head h, query t;
 * position 0 and padding hold NaN (metrics, weights) or −1 (key positions).
 *
 * @param metrics        {@code metrics[m]} holds {@code HeadMetric.values()[m]}
 * @param keyPositions   k* = argmax_{1≤k≤t} p_k, the strongest key after the sink
 * @param keyWeights     p_{k*}
 * @param writeSums      Σ result_h(t) over the batch's real tokens t ≥ 1, indexed h·D + i
 * @param writeTokens    how many tokens {@code writeSums} adds up
 * @param promotedCells  the batch cells b·T + t sampled for the promoted view
 * @param promotedZ      z_h(t) of each of those cells in fp32, indexed (i·H + h)·dh + k, which a
 *                       {@link PromotedScorer} scores on the vocabulary (with other batches' cells)
 */
public record HeadLayer(int layer, int heads, TokenBatch batch, float[][] metrics, int[] keyPositions,
                        float[] keyWeights, float[] writeSums, int writeTokens, int[] promotedCells,
                        float[] promotedZ) {

    /** The index of (row, head, query position) in the per-query arrays. */
    public int index(int row, int head, int t) {
        return (row * heads + head) * batch.seqLen() + t;
    }
}
