package org.travelingwords.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * The promoted view's top-1 tokens (DESIGN §5): for sampled cells, argmax_v of a head's vocabulary
 * scores, with the vocabulary in column chunks and the cells in blocks, so that no score array
 * exceeds {@link #SCORE_BLOCK_BYTES}. Small blocks matter on CPUs: the allocator hands back a
 * block of that size from its heap, while a [H, n, V] array would be mapped, zeroed and unmapped by
 * the kernel on every layer of every batch. A running maximum across chunks keeps, on ties, the
 * lower token id (argmax gives the first maximum within a chunk; a later chunk must beat it).
 */
final class PromotedTokens {

    /** 16 MiB of float32 scores at a time. */
    static final long SCORE_BLOCK_BYTES = 16L << 20;

    private PromotedTokens() {}

    /**
     * @param operand [H, n, K] per head and sampled cell
     * @param chunks  [H, K, C] or [K, C] column chunks of the scoring matrix, in vocabulary order
     * @return the best token of each (cell i, head h) at i·H + h
     */
    static int[] of(NDArray operand, List<NDArray> chunks) {
        long heads = operand.getShape().get(0);
        long cells = operand.getShape().get(1);
        long widest = chunks.get(0).getShape().tail();
        long block = Math.max(1, SCORE_BLOCK_BYTES / (4 * heads * widest));
        NDList tokens = new NDList();
        for (long from = 0; from < cells; from += block) {
            tokens.add(best(operand.get(new NDIndex(":, {}:{}", from, Math.min(cells, from + block))), chunks));
        }
        return NDArrays.concat(tokens, 1).transpose().toType(DataType.INT32, false).toIntArray();
    }

    /** [H, b] best token ids of a block of cells. */
    private static NDArray best(NDArray operand, List<NDArray> chunks) {
        NDArray bestScore = null;
        NDArray bestToken = null;
        long offset = 0;
        for (NDArray chunk : chunks) {
            try (NDArray scores = operand.matMul(chunk)) {                           // [H, b, C]
                NDArray argMax = scores.argMax(-1);
                NDArray score = scores.gather(argMax.expandDims(-1), -1).squeeze(-1);   // one pass, not a second max
                NDArray token = argMax.add(offset);
                if (bestScore == null) {
                    bestScore = score;
                    bestToken = token;
                } else {
                    NDArray better = score.gt(bestScore);
                    bestScore = NDArrays.where(better, score, bestScore);
                    bestToken = NDArrays.where(better, token, bestToken);
                }
            }
            offset += chunk.getShape().tail();
        }
        return bestToken;
    }
}
