package org.travelingwords.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.travelingwords.analysis.OnePassForward;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.model.TokenBatch;

/**
 * Deferred promoted scoring: the tokens of cells queued over several batches and scored together are
 * those of each batch scored on its own, layer by layer in the order the cells came, and nothing is
 * scored before the queue is full or flushed.
 */
class PromotedScorerTest {

    private static final Gpt2Config CONFIG = Gpt2Config.of(2, 4, 32, 2 * HeadOutputWeights.VOCABULARY_CHUNK + 808, 32);

    @Test
    void queuedCellsGetTheTokensOfBatchByBatchScoring() {
        List<List<HeadLayer>> batches = new ArrayList<>();
        try (HookedGpt2 model = HookedGpt2.load(RandomGpt2.generate(CONFIG, 21, 0.4), Device.cpu())) {
            HeadAnalysis analysis = new HeadAnalysis(model);
            for (int n = 0; n < 3; n++) {
                int[][] rows = {IntStream.range(0, 12).map(t -> (t * 37 + 11) % CONFIG.vocabSize()).toArray(),
                    IntStream.range(0, 7 + n).map(t -> (t * 101 + 5) % CONFIG.vocabSize()).toArray()};
                int[] promoted = {1 + n, 5, 12 + 3 + n};                      // cells b·T + t, T = 12
                List<HeadLayer> layers = new ArrayList<>();
                try (NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                    OnePassForward.run(model, TokenBatch.of(rows), scope, List.of(analysis.into(promoted, layers::add)));
                }
                batches.add(layers);
            }
            Tokens eachBatch = new Tokens();
            PromotedScorer immediate = new PromotedScorer(model, HeadOutputWeights.PROJECTION_BUDGET_BYTES, 1, eachBatch);
            Tokens queued = new Tokens();
            PromotedScorer deferred = new PromotedScorer(model, HeadOutputWeights.PROJECTION_BUDGET_BYTES, 1000, queued);
            for (List<HeadLayer> layers : batches) {
                layers.forEach(immediate::add);
                layers.forEach(deferred::add);
            }
            assertEquals(CONFIG.nLayer() * batches.size(), eachBatch.calls);
            assertEquals(0, queued.calls, "nothing scored before the flush");
            deferred.flush();
            immediate.flush();
            assertEquals(CONFIG.nLayer(), queued.calls, "one scoring per layer");
            for (int l = 0; l < CONFIG.nLayer(); l++) {
                assertEquals(3 * 3 * CONFIG.nHead(), queued.byLayer.get(l).size());
                assertArrayEquals(eachBatch.tokens(l), queued.tokens(l), "layer " + l);
                assertTrue(queued.byLayer.get(l).stream().distinct().count() > 1, "layer " + l + " promotes one token only");
            }
        }
    }

    /** What a sink received, per layer in arrival order. */
    private static final class Tokens implements PromotedScorer.Sink {
        final List<List<Integer>> byLayer = new ArrayList<>();
        int calls;

        Tokens() {
            for (int l = 0; l < CONFIG.nLayer(); l++) {
                byLayer.add(new ArrayList<>());
            }
        }

        @Override
        public void accept(int layer, int[] tokens) {
            calls++;
            for (int token : tokens) {
                byLayer.get(layer).add(token);
            }
        }

        int[] tokens(int layer) {
            return byLayer.get(layer).stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
