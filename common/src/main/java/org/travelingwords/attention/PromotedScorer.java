package org.travelingwords.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.HookedGpt2;

/**
 * The promoted view's vocabulary scoring (DESIGN §5: argmax_v E[v]·(γ_f ⊙ result_h(t)) per sampled
 * cell and head), deferred across batches. Each layer's sampled z wait on the host until
 * {@code flushCells} of them are there, then are scored together: every scoring reads the layer's
 * [H, dh, V] projection (154 MB for GPT-2 124M) once per block of cells, so a batch's few sampled
 * cells (8 of 2,048 tokens at the default rate 1/256) would pay nearly the whole read for themselves.
 * A layer's tokens reach the sink in the order its cells were added, so the result does not depend
 * on where the flushes fall.
 */
public final class PromotedScorer {

    /** Cells per layer scored together: about three blocks of {@link PromotedTokens} for GPT-2 124M. */
    static final int FLUSH_CELLS = 256;

    /** Receives one layer's promoted tokens, indexed i·H + h for its i-th scored cell and head h. */
    @FunctionalInterface
    public interface Sink {
        void accept(int layer, int[] tokens);
    }

    private final HookedGpt2 model;
    private final long projectionBudget;
    private final int flushCells;
    private final Sink sink;
    private final List<List<float[]>> pending = new ArrayList<>();
    private final int[] pendingCells;

    PromotedScorer(HookedGpt2 model, long projectionBudget, int flushCells, Sink sink) {
        this.model = model;
        this.projectionBudget = projectionBudget;
        this.flushCells = flushCells;
        this.sink = sink;
        int layers = model.config().nLayer();
        for (int l = 0; l < layers; l++) {
            pending.add(new ArrayList<>());
        }
        this.pendingCells = new int[layers];
    }

    /** Queues the layer's sampled cells, scoring the layer's queue once it holds {@code flushCells}. */
    public void add(HeadLayer layer) {
        int cells = layer.promotedCells().length;
        if (cells == 0) {
            return;
        }
        pending.get(layer.layer()).add(layer.promotedZ());
        pendingCells[layer.layer()] += cells;
        if (pendingCells[layer.layer()] >= flushCells) {
            score(layer.layer());
        }
    }

    /** Scores every queued cell: call before reading what the sink collected. */
    public void flush() {
        for (int l = 0; l < pendingCells.length; l++) {
            if (pendingCells[l] > 0) {
                score(l);
            }
        }
    }

    private void score(int layer) {
        Gpt2Config c = model.config();
        int cells = pendingCells[layer];
        float[] z = new float[cells * c.nHead() * c.headDim()];
        int at = 0;
        for (float[] part : pending.get(layer)) {
            System.arraycopy(part, 0, z, at, part.length);
            at += part.length;
        }
        pending.get(layer).clear();
        pendingCells[layer] = 0;
        HeadOutputWeights w = HeadOutputWeights.of(model, layer, projectionBudget);
        try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray sampled = scope.create(z, new Shape(cells, c.nHead(), c.headDim())).transpose(1, 0, 2); // [H, n, dh]
            sink.accept(layer, PromotedTokens.of(w.promotedOperand(model, layer, sampled), w.promotedChunks()));
        }
    }
}
