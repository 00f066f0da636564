package org.travelingwords.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/**
 * The paper's embedding tables: per token e = E[w], its norm ‖e‖, the norm ‖γ_f ⊙ e‖ it has after
 * the final LayerNorm's scale, and the bias score β_f·e. Under the logit lens a token's logit is
 * LNf(x)·e = x̂·(γ_f ⊙ e) + β_f·e with ‖x̂‖ ≈ sqrt(D), so both terms decide which tokens are easy to
 * predict; hence the four {@link Score}s. Note that the sums add the norm and β_f·e as they are, as
 * the issue defines them: the largest logit over the sphere would weigh the norm by sqrt(D).
 */
public record EmbeddingNorms(double[] norm, double[] scaledNorm, double[] biasScore) implements Serializable {

    /** The four rankings of the issue, with their column names. */
    public enum Score {
        NORM("norm"),
        SCALED_NORM("scaled_norm"),
        NORM_PLUS_BIAS("norm_plus_bias"),
        SCALED_NORM_PLUS_BIAS("scaled_norm_plus_bias");

        private final String column;

        Score(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }
    }

    public static EmbeddingNorms compute(ProbeSpace space) {
        try (NDScope scope = new NDScope()) {
            NDArray gain = space.tensor("ln_f.weight");
            NDArray bias = space.tensor("ln_f.bias");
            double[] columns = space.byRowBlocks(space.embedding(), e -> NDArrays.stack(new NDList(
                    e.norm(new int[] {1}),                                   // ‖e‖
                    e.mul(gain).norm(new int[] {1}),                         // ‖γ_f ⊙ e‖
                    e.matMul(bias)), 1)).toDoubleArray();                    // β_f·e  → [V, 3]
            int vocab = columns.length / 3;
            double[] norm = new double[vocab];
            double[] scaled = new double[vocab];
            double[] biasScore = new double[vocab];
            for (int t = 0; t < vocab; t++) {
                norm[t] = columns[3 * t];
                scaled[t] = columns[3 * t + 1];
                biasScore[t] = columns[3 * t + 2];
            }
            return new EmbeddingNorms(norm, scaled, biasScore);
        }
    }

    public int vocabSize() {
        return norm.length;
    }

    public double[] score(Score score) {
        double[] out = new double[norm.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (score) {
                case NORM -> norm[i];
                case SCALED_NORM -> scaledNorm[i];
                case NORM_PLUS_BIAS -> norm[i] + biasScore[i];
                case SCALED_NORM_PLUS_BIAS -> scaledNorm[i] + biasScore[i];
            };
        }
        return out;
    }

    /** Every score's ranks, 0 = largest, ties to the lower token id. */
    public Map<Score, int[]> ranks() {
        Map<Score, int[]> ranks = new EnumMap<>(Score.class);
        for (Score score : Score.values()) {
            ranks.put(score, TopTokens.ranks(score(score)));
        }
        return ranks;
    }
}
