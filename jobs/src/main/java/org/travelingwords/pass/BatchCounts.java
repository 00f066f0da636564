package org.travelingwords.pass;

import java.io.Serializable;

/**
 * The batches a partition ran through the model: how many, their real tokens and their cells
 * (rows × sequence length, padding included). They travel in the partition results, so a retried
 * task or a re-run stage counts once (DESIGN §7), unlike an accumulator.
 */
public record BatchCounts(long batches, long tokens, long cells) implements Serializable {

    public static final BatchCounts NONE = new BatchCounts(0, 0, 0);

    public BatchCounts plus(BatchCounts other) {
        return new BatchCounts(batches + other.batches, tokens + other.tokens, cells + other.cells);
    }

    /** One more batch of {@code realTokens} in {@code rows} × {@code seqLen} cells. */
    public BatchCounts plusBatch(long realTokens, int rows, int seqLen) {
        return plus(new BatchCounts(1, realTokens, (long) rows * seqLen));
    }

    /** Share of the cells that were padding. */
    public double paddingFraction() {
        return cells == 0 ? 0 : 1.0 - (double) tokens / cells;
    }
}
