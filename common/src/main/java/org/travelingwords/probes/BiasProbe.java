package org.travelingwords.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's bias probes of one head. Expanding (x_q W_Q + b_Q)(x_k W_K + b_K)ᵀ/sqrt(dh) leaves two
 * terms that each depend on one side only: x_q·(W_Q b_Kᵀ)/sqrt(dh), how much a query token attends
 * regardless of the key (the {@link Kind#QUERY query-bias direction} W_Q·b_Kᵀ), and
 * x_k·(W_K b_Qᵀ)/sqrt(dh), how much a key token is attended to regardless of the query (the
 * {@link Kind#KEY key-bias direction} b_Q·W_Kᵀ). Tokens are x = LN1_b(E); a token's score is its
 * term of the attention score, so it includes the 1/sqrt(dh) of DESIGN §2. Sign 1 lists the
 * largest scores, −1 the smallest (most negative first).
 */
public final class BiasProbe {

    public enum Kind {
        QUERY("query"), KEY("key");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public record Hit(int block, int head, Kind kind, int sign, int rank, int tokenId, double score)
            implements Serializable {}

    private BiasProbe() {}

    public static List<Hit> run(ProbeSpace space, HeadWeights head, int k) {
        int d = head.dModel();
        int dh = head.headDim();
        int vocab = space.config().vocabSize();
        double[] scores;
        try (NDScope scope = new NDScope()) {
            NDArray queryDirection = space.array(head.query(), d, dh).matMul(space.array(head.keyBias(), dh));  // W_Q b_Kᵀ [D]
            NDArray keyDirection = space.array(head.key(), d, dh).matMul(space.array(head.queryBias(), dh));    // W_K b_Qᵀ [D]
            NDArray directions = queryDirection.stack(keyDirection, 1).div(Math.sqrt(dh));                    // [D, 2]
            scores = directions.transpose().matMul(space.ln1Embedding(head.block()).transpose()).toDoubleArray(); // [2, V]
        }
        List<Hit> hits = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            int offset = kind.ordinal() * vocab;
            for (int sign : new int[] {1, -1}) {
                int[] top = sign > 0 ? TopTokens.largest(scores, offset, vocab, k) : TopTokens.smallest(scores, offset, vocab, k);
                for (int r = 0; r < top.length; r++) {
                    hits.add(new Hit(head.block(), head.head(), kind, sign, r, top[r], scores[offset + top[r]]));
                }
            }
        }
        return hits;
    }
}
