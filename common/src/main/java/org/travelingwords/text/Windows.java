package org.travelingwords.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a document's tokens into model windows: {@code blockSize} tokens starting every
 * {@code stride} tokens, the last one possibly shorter; optionally {@code <|endoftext|>} first, as
 * GPT-2 saw document starts in training. Windows under 2 tokens carry no next-token signal and
 * are skipped, and counted.
 */
public record Windows(List<int[]> windows, int skipped) {

    public static final int MIN_TOKENS = 2;

    public static Windows cut(int[] tokens, int blockSize, int stride, boolean prependEos) {
        if (blockSize < MIN_TOKENS || stride < 1 || stride > blockSize) {
            throw new IllegalArgumentException("need block size >= 2 and 1 <= stride <= block size, got block "
                    + blockSize + ", stride " + stride);
        }
        int[] all = tokens;
        if (prependEos) {
            all = new int[tokens.length + 1];
            all[0] = Gpt2Tokenizer.END_OF_TEXT;
            System.arraycopy(tokens, 0, all, 1, tokens.length);
        }
        List<int[]> windows = new ArrayList<>();
        int skipped = 0;
        for (int start = 0; start < all.length; start += stride) {
            int end = Math.min(all.length, start + blockSize);
            if (end - start >= MIN_TOKENS) {
                windows.add(Arrays.copyOfRange(all, start, end));
            } else {
                skipped++;
            }
            if (end == all.length) {
                break;
            }
        }
        return new Windows(windows, skipped);
    }
}
