package org.travelingwords.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's value–output probe: what a head writes when it attends to a noun, read through the
 * logit lens. update_h = LN1_b(E[noun])·W_VO,h + b_V,h·W_O,h, value = LNf(E[noun] + update + b_O), and
 * the tokens with the largest value·E[token]. The {@code sum} variant uses Σ_h update_h, what the
 * whole attention layer writes when every head attends to the noun.
 */
public final class VoProbe {

    /** The head that marks the sum over every head of the block. */
    public static final int SUM = -1;

    /** One value token of a noun's top-k; {@code updateNorm} is ‖update‖ (without b_O). */
    public record Hit(int block, int head, int keyTokenId, int rank, int valueTokenId, double score,
                      double updateNorm) implements Serializable {}

    private VoProbe() {}

    /** The probe of one head. */
    public static List<Hit> run(ProbeSpace space, HeadWeights head, int[] nouns, int k) {
        int d = head.dModel();
        int dh = head.headDim();
        try (NDScope scope = new NDScope()) {
            NDArray attended = space.ln1Embedding(head.block()).get(space.ids(nouns));           // [N, D]
            NDArray update = attended.matMul(space.array(head.value(), d, dh))
                    .add(space.array(head.valueBias(), dh))
                    .matMul(space.array(head.output(), dh, d));                                   // (a·W_V + b_V)·W_O
            return score(space, head.block(), head.head(), nouns, update, k);
        }
    }

    /**
     * The probe of every head of {@code block} at once: with all heads' W_V [D, D], b_V [D] and W_O [D, D],
     * (a·W_V + b_V)·W_O is exactly Σ_h update_h, since W_O's rows are split by head.
     */
    public static List<Hit> runSum(ProbeSpace space, int block, int[] nouns, int k) {
        int d = space.config().nEmbd();
        String prefix = "h." + block + ".attn.";
        try (NDScope scope = new NDScope()) {
            NDArray attended = space.ln1Embedding(block).get(space.ids(nouns));                 // [N, D]
            NDArray valueWeight = space.tensor(prefix + "c_attn.weight").get(":, {}:{}", 2 * d, 3 * d);
            NDArray valueBias = space.tensor(prefix + "c_attn.bias").get("{}:{}", 2 * d, 3 * d);
            NDArray update = attended.matMul(valueWeight).add(valueBias)
                    .matMul(space.tensor(prefix + "c_proj.weight"));
            return score(space, block, SUM, nouns, update, k);
        }
    }

    private static List<Hit> score(ProbeSpace space, int block, int head, int[] nouns, NDArray update, int k) {
        int vocab = space.config().vocabSize();
        NDArray embedding = space.embedding();
        NDArray residual = embedding.get(space.ids(nouns)).add(update)
                .add(space.tensor("h." + block + ".attn.c_proj.bias"));                           // E[noun] + update + b_O
        NDArray value = space.layerNorm(residual, "ln_f");
        double[] scores = value.matMul(embedding.transpose()).toDoubleArray();                   // [N, V]
        double[] updateNorms = update.norm(new int[] {1}).toDoubleArray();
        List<Hit> hits = new ArrayList<>();
        for (int n = 0; n < nouns.length; n++) {
            int[] top = TopTokens.largest(scores, n * vocab, vocab, k);
            for (int r = 0; r < top.length; r++) {
                hits.add(new Hit(block, head, nouns[n], r, top[r], scores[n * vocab + top[r]], updateNorms[n]));
            }
        }
        return hits;
    }
}
