package org.travelingwords.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's SVD probes of one head: W_QK = W_Q W_Kᵀ/sqrt(dh) and W_VO = W_V W_O decomposed
 * ({@link FactoredSvd}), and each of the first singular pairs read as tokens: the top-k tokens of
 * the left vector (scaled by its singular value, which does not change the order) and of the right
 * vector against their reference rows. References: QK left and right LN1_b(E) (queries and keys);
 * VO left LN1_b(E) (what the head reads), right E (what it writes, in unembedding space).
 * Each pair's sign follows {@link SignRule} on the right vector and its reference.
 */
public final class SvdProbe {

    /** The singular pairs read per matrix (fewer when dh is smaller: W's rank is at most dh). */
    public static final int RANKS = 20;

    public enum Matrix { QK, VO }

    public record Hit(int block, int head, Matrix matrix, int rank, double singularValue, int[] leftTokenIds,
                      int[] rightTokenIds) implements Serializable {}

    private SvdProbe() {}

    public static List<Hit> run(ProbeSpace space, HeadWeights head, int k) {
        List<Hit> hits = new ArrayList<>();
        for (Matrix matrix : Matrix.values()) {
            hits.addAll(run(space, head, matrix, k));
        }
        return hits;
    }

    public static List<Hit> run(ProbeSpace space, HeadWeights head, Matrix matrix, int k) {
        return read(space, head, matrix, decompose(head, matrix), k);
    }

    /** W_QK or W_VO of the head, decomposed. */
    public static FactoredSvd decompose(HeadWeights head, Matrix matrix) {
        int d = head.dModel();
        int dh = head.headDim();
        return switch (matrix) {
            case QK -> FactoredSvd.of(head.query(), head.key(), d, dh, 1.0 / Math.sqrt(dh));
            case VO -> FactoredSvd.of(head.value(), transpose(head.output(), dh, d), d, dh, 1.0);
        };
    }

    private static List<Hit> read(ProbeSpace space, HeadWeights head, Matrix matrix, FactoredSvd svd, int k) {
        int d = head.dModel();
        int n = Math.min(RANKS, svd.rank());
        int vocab = space.config().vocabSize();
        double[] leftScores;
        double[] rightScores;
        try (NDScope scope = new NDScope()) {
            NDArray ln1 = space.ln1Embedding(head.block());
            NDArray rightReference = matrix == Matrix.QK ? ln1 : space.embedding();
            // Uᵀ·Rᵀ [n, V]: one row of token scores per singular pair
            leftScores = space.array(svd.leftColumns(n, true), d, n).transpose().matMul(ln1.transpose()).toDoubleArray();
            rightScores = space.array(svd.rightColumns(n), d, n).transpose().matMul(rightReference.transpose())
                    .toDoubleArray();
        }
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int offset = i * vocab;
            boolean flip = SignRule.flip(rightScores, offset, vocab, 1);
            int[] left = flip ? TopTokens.smallest(leftScores, offset, vocab, k) : TopTokens.largest(leftScores, offset, vocab, k);
            int[] right = flip ? TopTokens.smallest(rightScores, offset, vocab, k) : TopTokens.largest(rightScores, offset, vocab, k);
            hits.add(new Hit(head.block(), head.head(), matrix, i, svd.singularValues()[i], left, right));
        }
        return hits;
    }

    private static float[] transpose(float[] matrix, int rows, int cols) {
        float[] out = new float[matrix.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = matrix[r * cols + c];
            }
        }
        return out;
    }
}
