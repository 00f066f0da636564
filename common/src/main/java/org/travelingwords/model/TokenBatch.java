package org.travelingwords.model;

/**
 * Token rows right-padded into one [B, T] batch (DESIGN §2: never left-pad; positions are
 * 0..T−1 in every row). Padding positions hold token 0 and are excluded by {@link #lengths}.
 */
public record TokenBatch(long[] ids, int[] lengths, int batchSize, int seqLen) {

    public static TokenBatch of(int[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one row");
        }
        int seqLen = 0;
        for (int[] row : rows) {
            if (row.length == 0) {
                throw new IllegalArgumentException("a batch row needs at least one token");
            }
            seqLen = Math.max(seqLen, row.length);
        }
        long[] ids = new long[rows.length * seqLen];
        int[] lengths = new int[rows.length];
        for (int b = 0; b < rows.length; b++) {
            lengths[b] = rows[b].length;
            for (int t = 0; t < rows[b].length; t++) {
                ids[b * seqLen + t] = rows[b][t];
            }
        }
        return new TokenBatch(ids, lengths, rows.length, seqLen);
    }

    /** 1 at real tokens, 0 at padding, [B·T] row-major. */
    public long[] attentionMask() {
        long[] mask = new long[ids.length];
        for (int b = 0; b < batchSize; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                mask[b * seqLen + t] = 1;
            }
        }
        return mask;
    }

    public int realTokens() {
        int n = 0;
        for (int length : lengths) {
            n += length;
        }
        return n;
    }
}
