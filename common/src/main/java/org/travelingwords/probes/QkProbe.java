package org.travelingwords.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's query–key probe of one head: which tokens a query noun attends to most, from the
 * weights alone. Queries q = LN1_b(E[noun]), candidate keys k = LN1_b(E) over the whole vocabulary,
 * score = (q·W_QK)·k with W_QK = W_Q W_Kᵀ/sqrt(dh) (DESIGN §6; biases left out, see {@link BiasProbe}).
 */
public final class QkProbe {

    /** One key of a query's top-k: {@code rank} 0 is the highest score. */
    public record Hit(int block, int head, int queryTokenId, int rank, int keyTokenId, double score)
            implements Serializable {}

    private QkProbe() {}

    public static List<Hit> run(ProbeSpace space, HeadWeights head, int[] queries, int k) {
        int d = head.dModel();
        int dh = head.headDim();
        int vocab = space.config().vocabSize();
        double[] scores;
        try (NDScope scope = new NDScope()) {
            NDArray keys = space.ln1Embedding(head.block());                                     // [V, D]
            NDArray keyProjections = keys.matMul(space.array(head.key(), d, dh));                 // k·W_K [V, dh]
            NDArray queryProjections = keys.get(space.ids(queries)).matMul(space.array(head.query(), d, dh)); // [N, dh]
            scores = queryProjections.matMul(keyProjections.transpose())
                    .div(Math.sqrt(dh)).toDoubleArray();                                         // [N, V]
        }
        List<Hit> hits = new ArrayList<>();
        for (int n = 0; n < queries.length; n++) {
            int[] top = TopTokens.largest(scores, n * vocab, vocab, k);
            for (int r = 0; r < top.length; r++) {
                hits.add(new Hit(head.block(), head.head(), queries[n], r, top[r], scores[n * vocab + top[r]]));
            }
        }
        return hits;
    }
}
