package org.travelingwords.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WindowsTest {

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i + 1;
        }
        return out;
    }

    @Test
    void cutsNonOverlappingBlocksAndSkipsAOneTokenTail() {
        Windows w = Windows.cut(range(9), 4, 4, false);
        assertEquals(2, w.windows().size());
        assertArrayEquals(new int[] {1, 2, 3, 4}, w.windows().get(0));
        assertArrayEquals(new int[] {5, 6, 7, 8}, w.windows().get(1));
        assertEquals(1, w.skipped(), "the lone 9th token is counted, not silently dropped");
    }

    @Test
    void overlappingStrideStopsAtTheWindowThatReachesTheEnd() {
        Windows w = Windows.cut(range(7), 4, 2, false);
        assertEquals(3, w.windows().size());
        assertArrayEquals(new int[] {3, 4, 5, 6}, w.windows().get(1));
        assertArrayEquals(new int[] {5, 6, 7}, w.windows().get(2));
        assertEquals(0, w.skipped());
    }

    @Test
    void prependsEndOfTextAndKeepsShortDocuments() {
        Windows w = Windows.cut(new int[] {42}, 8, 8, true);
        assertEquals(1, w.windows().size());
        assertArrayEquals(new int[] {Gpt2Tokenizer.END_OF_TEXT, 42}, w.windows().get(0));
        assertEquals(1, Windows.cut(new int[] {42}, 8, 8, false).skipped());
    }

    @Test
    void rejectsImpossibleSettings() {
        assertThrows(IllegalArgumentException.class, () -> Windows.cut(range(3), 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> Windows.cut(range(3), 4, 5, false));
    }
}
