package org.travelingwords.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.junit.jupiter.api.Test;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.RandomGpt2;

/**
 * The probes free their temporaries: a space holds E and one block's LN1_b(E), however many probes
 * ran; and working on blocks of rows changes no number.
 */
class ProbeSpaceTest {

    @Test
    void rowBlocksGiveTheSameArrayAsTheWholeAndLeakNothing() {
        Gpt2Weights weights = RandomGpt2.generate(Gpt2Config.of(1, 2, 8, 9000, 8), 3, 0.2);   // 3 blocks of rows
        try (ProbeSpace space = ProbeSpace.open(weights, Device.cpu());
             NDScope scope = new NDScope()) {
            NDArray whole = space.layerNorm(space.embedding(), "h.0.ln_1");
            NDArray blocks = space.byRowBlocks(space.embedding(), rows -> space.layerNorm(rows, "h.0.ln_1"));
            assertEquals(whole.getShape(), blocks.getShape());
            assertArrayEquals(whole.toDoubleArray(), blocks.toDoubleArray(), 0.0);
            assertArrayEquals(whole.toDoubleArray(), space.ln1Embedding(0).toDoubleArray(), 0.0);
            scope.close();
            assertEquals(2, space.liveArrays(), "E and the cached LN1_0(E)");
        }
    }

    @Test
    void probesLeaveNothingBehindButTheCachedArrays() {
        Gpt2Weights weights = RandomGpt2.generate(Gpt2Config.of(2, 2, 8, 40, 8), 7, 0.2);
        try (ProbeSpace space = ProbeSpace.open(weights, Device.cpu());
             HookedGpt2 model = HookedGpt2.load(weights, Device.cpu())) {
            assertEquals(1, space.liveArrays());
            EmbeddingNorms.compute(space);
            LnDistance.compute(space);
            VocabularyFrame frame = VocabularyFrame.compute(space);
            WordTrajectory.trace(model, space, frame, new int[] {3, 1, 4}, 3);
            for (int block = 0; block < 2; block++) {
                for (int h = 0; h < 2; h++) {
                    HeadWeights head = HeadWeights.of(weights, block, h);
                    QkProbe.run(space, head, new int[] {0, 5}, 3);
                    VoProbe.run(space, head, new int[] {0, 5}, 3);
                    SvdProbe.run(space, head, 3);
                    BiasProbe.run(space, head, 3);
                }
                VoProbe.runSum(space, block, new int[] {0, 5}, 3);
                assertEquals(2, space.liveArrays(), "E and LN1_" + block + "(E)");
            }
        }
    }
}
