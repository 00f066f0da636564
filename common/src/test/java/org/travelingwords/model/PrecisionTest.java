package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class PrecisionTest {

    @Test
    void parsesTheThreeNames() {
        assertEquals(Precision.FP16, Precision.parse("fp16"));
        assertEquals(Precision.BF16, Precision.parse(" BF16 "));
        assertEquals(DataType.FLOAT32, Precision.parse("fp32").dataType());
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp8"));
    }

    @Test
    void halfPrecisionIsForGpusOnly() {
        assertEquals(Precision.FP32, Precision.FP16.on(Device.cpu()));
        assertEquals(Precision.FP32, Precision.BF16.on(Device.cpu()));
        assertEquals(Precision.BF16, Precision.BF16.on(Device.gpu(0)));
    }

    @Test
    void aModelAskedForHalfPrecisionOnTheCpuLoadsInFp32() {
        try (HookedGpt2 model = HookedGpt2.load(RandomGpt2.generate(Gpt2Config.of(1, 2, 8, 20, 8), 1, 0.1), Device.cpu(),
                Precision.FP16)) {
            assertEquals(DataType.FLOAT32, model.dataType());
            assertEquals(DataType.FLOAT32, model.tokenEmbedding().getDataType());
        }
    }
}
