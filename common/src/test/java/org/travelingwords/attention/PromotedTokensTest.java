package org.travelingwords.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The chunked argmax against a plain Java argmax over the whole vocabulary, ties to the lower id. */
class PromotedTokensTest {

    private static final int HEADS = 3;
    private static final int CELLS = 5;
    private static final int K = 4;
    private static final int VOCAB = 11;

    @Test
    void chunkedArgmaxEqualsWholeVocabularyArgmaxWithTiesToTheLowerId() {
        SplittableRandom random = new SplittableRandom(7);
        float[] operand = new float[HEADS * CELLS * K];
        for (int i = 0; i < operand.length; i++) {
            operand[i] = (float) random.nextInt(-3, 4);     // small integers: exact scores, frequent ties
        }
        float[] matrix = new float[HEADS * K * VOCAB];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) random.nextInt(-2, 3);
        }
        // Head 0, cell 0: columns 1 (first chunk) and 9 (last chunk) tie at the top score; id 1 must win.
        for (int k = 0; k < K; k++) {
            operand[k] = 1f;
            matrix[k * VOCAB + 1] = 2f;
            matrix[k * VOCAB + 9] = 2f;
        }
        int[] expected = new int[CELLS * HEADS];
        for (int h = 0; h < HEADS; h++) {
            for (int i = 0; i < CELLS; i++) {
                float best = Float.NEGATIVE_INFINITY;
                for (int v = 0; v < VOCAB; v++) {
                    float score = 0;
                    for (int k = 0; k < K; k++) {
                        score += operand[(h * CELLS + i) * K + k] * matrix[(h * K + k) * VOCAB + v];
                    }
                    if (score > best) {
                        best = score;
                        expected[i * HEADS + h] = v;
                    }
                }
            }
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray scores = manager.create(matrix, new Shape(HEADS, K, VOCAB));
            List<NDArray> chunks = new ArrayList<>();
            for (int from = 0; from < VOCAB; from += 4) {
                chunks.add(scores.get(new NDIndex(":, :, {}:{}", from, Math.min(VOCAB, from + 4))).duplicate());
            }
            int[] tokens = PromotedTokens.of(manager.create(operand, new Shape(HEADS, CELLS, K)), chunks);
            assertArrayEquals(expected, tokens);
        }
    }
}
