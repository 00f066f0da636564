package org.travelingwords.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.RandomGpt2;

/** A derived value that fails (a device out of memory, say) frees its arrays and is computed again on next use. */
class DerivedWeightsTest {

    @Test
    void aFailedComputationClosesItsManagerAndTheNextUseRetries() {
        try (HookedGpt2 model = HookedGpt2.load(RandomGpt2.generate(Gpt2Config.of(1, 2, 8, 20, 8), 1, 0.1), Device.cpu())) {
            DerivedWeights derived = DerivedWeights.of(model);
            NDManager[] failed = new NDManager[1];
            assertThrows(IllegalStateException.class, () -> derived.get(model, "projection", manager -> {
                failed[0] = manager;
                manager.zeros(new Shape(1024));
                throw new IllegalStateException("CUBLAS_STATUS_ALLOC_FAILED");
            }));
            assertFalse(failed[0].isOpen(), "the failed computation's arrays would stay for the model's life");
            NDArray value = derived.get(model, "projection", manager -> manager.ones(new Shape(2)));
            assertEquals(2, value.size());
            assertTrue(value.getManager().isOpen(), "a value that succeeded lives with the model");
        }
    }
}
