package org.travelingwords.probes;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Selections over per-token scores with one tie rule everywhere: equal scores go to the lower token
 * id. The issue asks for it so that token lists are reproducible across implementations.
 */
public final class TopTokens {

    private TopTokens() {}

    /** The {@code k} tokens of {@code scores[offset … offset+length)} with the largest scores, best first; ids relative to offset. */
    public static int[] largest(double[] scores, int offset, int length, int k) {
        return select(scores, offset, length, k, 1);
    }

    /** The {@code k} tokens with the smallest scores, smallest first. */
    public static int[] smallest(double[] scores, int offset, int length, int k) {
        return select(scores, offset, length, k, -1);
    }

    public static int[] largest(double[] scores, int k) {
        return largest(scores, 0, scores.length, k);
    }

    public static int[] smallest(double[] scores, int k) {
        return smallest(scores, 0, scores.length, k);
    }

    /** Each token's 0-based rank by descending score (0 = largest). */
    public static int[] ranks(double[] scores) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        int[] ranks = new int[scores.length];
        for (int r = 0; r < order.length; r++) {
            ranks[order[r]] = r;
        }
        return ranks;
    }

    /**
     * {@code sign} 1: largest first; −1: smallest first. The k best so far stay sorted in small
     * arrays; a token enters only if it beats the worst of them, so a row costs O(V) for small k.
     */
    private static int[] select(double[] scores, int offset, int length, int k, int sign) {
        int n = Math.max(0, Math.min(k, length));
        int[] ids = new int[n];
        if (n == 0) {
            return ids;
        }
        double[] kept = new double[n];          // signed scores, descending
        int size = 0;
        for (int i = 0; i < length; i++) {
            double score = sign * scores[offset + i];
            // ids arrive in increasing order, so an equal score never displaces a kept (lower) id
            if (size == n && !(score > kept[n - 1])) {
                continue;
            }
            int at = size < n ? size++ : n - 1;
            while (at > 0 && score > kept[at - 1]) {
                kept[at] = kept[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }
            kept[at] = score;
            ids[at] = i;
        }
        return ids;
    }
}
