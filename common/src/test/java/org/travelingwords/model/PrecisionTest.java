package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class PrecisionTest {

    @Test
    void parsesFp32AndFp16() {
        assertEquals(Precision.FP16, Precision.parse(" FP16 "));
        assertEquals(DataType.FLOAT32, Precision.parse("fp32").dataType());
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp8"));
    }

    /** A bfloat16 cast aborts the JVM inside DJL's native code, so bf16 must never get that far. */
    @Test
    void refusesBf16WithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("bf16"));
        assertTrue(e.getMessage().contains("bf16 is not supported") && e.getMessage().contains("use fp16"), e.getMessage());
    }

    @Test
    void halfPrecisionIsForGpusOnly() {
        assertEquals(Precision.FP32, Precision.FP16.on(Device.cpu()));
        assertEquals(Precision.FP16, Precision.FP16.on(Device.gpu(0)));
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
