package org.travelingwords.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.model.Fp32;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.HookedGpt2;

/**
 * What the head reductions of one layer read from its output weights W_O, derived once per model and
 * kept with it ({@link DerivedWeights}), so that a head's result result_h = z_h·W_O,h ([D] per head
 * and query) is never built for every query (DESIGN §5):
 * <ul>
 * <li>{@code out}, W_O by head [H, dh, D] in fp32, and {@code outFlat}, the same as [H·dh, D];</li>
 * <li>{@code gram}, G_h = W_O,h·W_O,hᵀ [H, dh, dh] in fp32: ‖result_h‖² = z_h·G_h·z_hᵀ;</li>
 * <li>the promoted view's scores E·(γ_f ⊙ result_h), in the model's precision, as column chunks of
 *     the vocabulary ({@link PromotedTokens}): when {@code projected}, P_h = (W_O,h ⊙ γ_f)·Eᵀ
 *     [H, dh, V], scored as z_h·P_h at dh·V per head instead of D·V; otherwise (the projections of
 *     all layers together over the budget, by default {@link #PROJECTION_BUDGET_BYTES}: larger
 *     models) diag(γ_f)·Eᵀ [D, V], shared by all layers, scored against result_h of the sampled cells.</li>
 * </ul>
 */
record HeadOutputWeights(NDArray out, NDArray outFlat, NDArray gram, boolean projected, List<NDArray> promotedChunks) {

    /** 4 GiB: GPT-2 124M needs 1.8 GiB in fp32 (12 × 768 × 50257 × 4 bytes), GPT-2 medium 4.6 GiB (2.3 in fp16). */
    static final long PROJECTION_BUDGET_BYTES = 4L << 30;
    /** Vocabulary columns per chunk of the promoted scores. */
    static final int VOCABULARY_CHUNK = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(HeadOutputWeights.class);

    /**
     * The derived weights of {@code layer}, computed on the first call for this model, with the
     * promoted projection when all layers' fit {@code projectionBudget} bytes.
     */
    static HeadOutputWeights of(HookedGpt2 model, int layer, long projectionBudget) {
        boolean project = projects(model, projectionBudget);
        List<NDArray> vocabulary = project ? null : DerivedWeights.of(model).get(model, ScaledVocabularyKey.INSTANCE, m -> scaledVocabulary(model, m));
        return DerivedWeights.of(model).get(model, new Key(layer, project), manager -> derive(model, layer, vocabulary, manager));
    }

    /**
     * Derives every layer's weights before the first batch: the tasks of an executor that start
     * together each take the layers nobody took yet, then wait for the others' (one projection is
     * a [D, D]·[D, V] product, 59 GFLOP for GPT-2 124M).
     */
    static void prepare(HookedGpt2 model, long projectionBudget) {
        boolean project = projects(model, projectionBudget);
        List<NDArray> vocabulary = project ? null : DerivedWeights.of(model).get(model, ScaledVocabularyKey.INSTANCE, m -> scaledVocabulary(model, m));
        int layers = model.config().nLayer();
        for (int l = 0; l < layers; l++) {
            int layer = l;
            DerivedWeights.of(model).computeUnlessClaimed(model, new Key(layer, project), manager -> derive(model, layer, vocabulary, manager));
        }
        for (int l = 0; l < layers; l++) {
            of(model, l, projectionBudget);
        }
    }

    /** The left operand of the promoted scores for the sampled z [H, n, dh] of {@code layer}, in the model's precision. */
    NDArray promotedOperand(HookedGpt2 model, int layer, NDArray sampledZ) {
        NDArray z = sampledZ.toType(model.dataType(), false);
        return projected ? z : z.matMul(model.headOutputWeights(layer));           // z_h, else result_h
    }

    /** @param vocabulary the model-wide chunks of diag(γ_f)·Eᵀ, or null to project this layer */
    private static HeadOutputWeights derive(HookedGpt2 model, int layer, List<NDArray> vocabulary, NDManager manager) {
        Gpt2Config c = model.config();
        long rows = (long) c.nHead() * c.headDim();
        NDArray stored = inManager(model.headOutputWeights(layer), manager);      // [H, dh, D]
        NDArray out = Fp32.of(stored);
        NDArray gram = out.matMul(out.transpose(0, 2, 1));                        // W_O,h·W_O,hᵀ
        List<NDArray> chunks = vocabulary;
        if (vocabulary == null) {
            try (NDArray scaled = stored.mul(model.finalGain()).reshape(rows, c.nEmbd())) {
                chunks = projectedChunks(model, scaled, manager);                  // (W_O,h ⊙ γ_f)·Eᵀ, [H, dh, V]
            }
        }
        if (layer == 0) {
            LOG.info("heads: promoted view scored {}", vocabulary == null
                    ? "through per-layer projections (W_O,h ⊙ γ_f)·Eᵀ kept on the device"
                    : "from the head results of the sampled queries (the projections would exceed the budget)");
        }
        return new HeadOutputWeights(out, out.reshape(rows, c.nEmbd()), gram, vocabulary == null, chunks);
    }

    /** (W_O ⊙ γ_f)·E[chunk]ᵀ [H, dh, C] per chunk, each product written once straight into its chunk. */
    private static List<NDArray> projectedChunks(HookedGpt2 model, NDArray scaledOut, NDManager manager) {
        Gpt2Config c = model.config();
        return vocabularyChunks(model, manager, rows -> scaledOut.getNDArrayInternal().linear(scaledOut, rows, null)
                .singletonOrThrow().reshape(c.nHead(), c.headDim(), rows.getShape().get(0)));
    }

    /** diag(γ_f)·E[chunk]ᵀ [D, C] per chunk, shared by all layers. */
    private static List<NDArray> scaledVocabulary(HookedGpt2 model, NDManager manager) {
        return vocabularyChunks(model, manager, rows -> rows.mul(model.finalGain()).transpose());
    }

    /** A copy of a weight in {@code manager}, so that arrays computed from it live there, not among the weights. */
    private static NDArray inManager(NDArray weight, NDManager manager) {
        NDArray copy = weight.duplicate();
        copy.attach(manager);
        return copy;
    }

    /**
     * {@code chunkOf} applied to each row chunk E[from, to) of {@link #VOCABULARY_CHUNK} tokens, in
     * vocabulary order: no [·, V] array is built whole and then copied apart. The chunks live in
     * {@code manager} with the rest of the derived weights.
     */
    private static List<NDArray> vocabularyChunks(HookedGpt2 model, NDManager manager, UnaryOperator<NDArray> chunkOf) {
        long vocabulary = model.config().vocabSize();
        List<NDArray> chunks = new ArrayList<>();
        for (long from = 0; from < vocabulary; from += VOCABULARY_CHUNK) {
            long to = Math.min(vocabulary, from + VOCABULARY_CHUNK);
            try (NDArray rows = model.tokenEmbedding().get(new NDIndex("{}:{}", from, to))) {
                rows.attach(manager);                            // so that what is computed from it lives there
                chunks.add(chunkOf.apply(rows));
            }
        }
        return List.copyOf(chunks);
    }

    /** Whether the promoted projections of all layers together fit the budget. */
    private static boolean projects(HookedGpt2 model, long budget) {
        Gpt2Config c = model.config();
        long bytes = (long) c.nLayer() * c.nEmbd() * c.vocabSize() * model.dataType().getNumOfBytes();
        return bytes <= budget;
    }

    /** One layer's entry among the model's derived values. */
    private record Key(int layer, boolean projected) {}

    /** The model-wide diag(γ_f)·Eᵀ chunks. */
    private enum ScaledVocabularyKey { INSTANCE }
}
