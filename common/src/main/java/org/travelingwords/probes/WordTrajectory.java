package org.travelingwords.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.travelingwords.model.HookCapture;
import org.travelingwords.model.HookNames;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.TokenBatch;

/**
 * The paper's word trajectories: a phrase's residual x at each stage (the token embedding, embedding
 * plus position, then resid_post of every block), read through the logit lens LNf(x)·Eᵀ (top-k
 * tokens with their probabilities), its cosine to the current and to the next token's embedding,
 * and its coordinates in the {@link VocabularyFrame}. The forward is the model's own (float32); what
 * follows runs in the {@link ProbeSpace}'s float64.
 */
public final class WordTrajectory {

    /** Stage names: {@code embed}, {@code embed+pos}, then {@code resid_post.0} … {@code resid_post.(L−1)}. */
    public static final String EMBED = "embed";
    public static final String EMBED_POS = "embed+pos";

    /**
     * One token at one stage. {@code layer} is −1 for the two embedding stages; {@code nextTokenId}
     * −1 and {@code cosNext} NaN at the phrase's last token.
     */
    public record Point(int position, int tokenId, int stageIndex, String stage, int layer, int nextTokenId,
                        int[] topTokenIds, double[] topProbs, double cosCurrent, double cosNext,
                        double x, double y, double z) implements Serializable {}

    private WordTrajectory() {}

    public static List<String> stages(int layers) {
        List<String> stages = new ArrayList<>(List.of(EMBED, EMBED_POS));
        for (int l = 0; l < layers; l++) {
            stages.add("resid_post." + l);
        }
        return stages;
    }

    /** Every (position, stage) point of one phrase, position-major. */
    public static List<Point> trace(HookedGpt2 model, ProbeSpace space, VocabularyFrame frame, int[] tokens, int k) {
        int layers = model.config().nLayer();
        int vocab = model.config().vocabSize();
        List<String> hooks = new ArrayList<>(List.of(HookNames.EMBED, HookNames.block(0, HookNames.RESID_PRE)));
        for (int l = 0; l < layers; l++) {
            hooks.add(HookNames.block(l, HookNames.RESID_POST));
        }
        HookCapture capture = new HookCapture();
        try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
            model.forward(TokenBatch.of(new int[][] {tokens}), HookPlan.forHooks(layers, new LinkedHashSet<>(hooks)),
                    capture, scope);
        }
        int stages = hooks.size();
        int t = tokens.length;
        int d = model.config().nEmbd();
        int[][] topIds = new int[stages * t][];
        double[][] topProbs = new double[stages * t][];
        double[] cosCurrent;
        double[] cosNext;
        double[] coordinates;
        try (NDScope scope = new NDScope()) {
            NDList residuals = new NDList();
            for (String hook : hooks) {
                residuals.add(space.array(capture.get(hook).data(), t, d));
            }
            NDArray lens = space.layerNorm(NDArrays.stack(residuals), "ln_f");              // LNf(x) [S, T, D]
            NDArray embedding = space.embedding();
            for (int s = 0; s < stages; s++) {                                             // one stage's [T, V] at a time
                double[] probs = lens.get(s).matMul(embedding.transpose()).softmax(-1).toDoubleArray();
                for (int pos = 0; pos < t; pos++) {
                    int cell = s * t + pos;
                    topIds[cell] = TopTokens.largest(probs, pos * vocab, vocab, k);
                    topProbs[cell] = new double[topIds[cell].length];
                    for (int r = 0; r < topIds[cell].length; r++) {
                        topProbs[cell][r] = probs[pos * vocab + topIds[cell][r]];
                    }
                }
            }
            cosCurrent = cosine(lens, embedding.get(space.ids(tokens))).toDoubleArray();  // cos(LNf(x), E[w_t]) [S, T]
            int[] next = new int[t];
            System.arraycopy(tokens, 1, next, 0, t - 1);                                   // the last entry is unused
            cosNext = cosine(lens, embedding.get(space.ids(next))).toDoubleArray();
            coordinates = frame.coordinates(space, lens.reshape(stages * t, d)).toDoubleArray();  // [S·T, 3]
        }
        List<String> names = stages(layers);
        List<Point> points = new ArrayList<>();
        for (int pos = 0; pos < t; pos++) {
            boolean last = pos == t - 1;
            for (int s = 0; s < stages; s++) {
                int cell = s * t + pos;
                int c = cell * VocabularyFrame.DIMENSIONS;
                points.add(new Point(pos, tokens[pos], s, names.get(s), s < 2 ? -1 : s - 2,
                        last ? -1 : tokens[pos + 1], topIds[cell], topProbs[cell], cosCurrent[cell],
                        last ? Double.NaN : cosNext[cell], coordinates[c], coordinates[c + 1], coordinates[c + 2]));
            }
        }
        return points;
    }

    /** cos between each a[s, t] and b[t], [S, T]. */
    private static NDArray cosine(NDArray a, NDArray b) {
        NDArray dot = a.mul(b).sum(new int[] {-1});
        return dot.div(a.norm(new int[] {-1}).mul(b.norm(new int[] {-1})));
    }
}
