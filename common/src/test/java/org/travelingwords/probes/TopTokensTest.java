package org.travelingwords.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The one tie rule of every token list: equal scores go to the lower token id. */
class TopTokensTest {

    @Test
    void largestAndSmallestBreakTiesByLowerId() {
        double[] scores = {1, 3, 3, 2, 3, -1, -1};
        assertArrayEquals(new int[] {1, 2}, TopTokens.largest(scores, 2));
        assertArrayEquals(new int[] {1, 2, 4, 3}, TopTokens.largest(scores, 4));
        assertArrayEquals(new int[] {5, 6, 0}, TopTokens.smallest(scores, 3));
    }

    @Test
    void selectsInsideARowOfAFlatMatrix() {
        double[] rows = {9, 9, 9, 0.5, 0.7, 0.7, 0.1};
        assertArrayEquals(new int[] {1, 2}, TopTokens.largest(rows, 3, 4, 2));      // ids relative to the row
        assertArrayEquals(new int[] {3, 0, 1, 2}, TopTokens.smallest(rows, 3, 4, 10));  // k beyond the row: all of it
    }

    @Test
    void ranksAreZeroForTheLargest() {
        assertArrayEquals(new int[] {3, 0, 1, 2}, TopTokens.ranks(new double[] {1, 5, 5, 2}));
    }
}
