package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** Devices checked against the engine: fabricated engines for CUDA cases, the real (CPU) one here. */
class TorchEngineTest {

    private static final TorchEngine CPU_BUILD = new TorchEngine(false, 0, "/root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64");
    private static final TorchEngine TWO_GPUS = new TorchEngine(true, 2, "/opt/djl-cache/pytorch/2.5.1-cu124-linux-x86_64");

    @Test
    void aCpuBuildAskedForAGpuSaysToBuildWithCuda() {
        for (String spec : new String[] {"gpu", "gpu:1", "cuda:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse(spec, CPU_BUILD));
            assertTrue(e.getMessage().contains("without CUDA") && e.getMessage().contains("-Pcuda"), e.getMessage());
        }
        assertEquals(Device.cpu(), DeviceSpec.parse("cpu", CPU_BUILD));
        assertEquals(Device.cpu(), DeviceSpec.parse("auto", CPU_BUILD));
    }

    @Test
    void thisMachinesEngineIsACpuBuildAndRefusesAGpu() {
        TorchEngine engine = TorchEngine.current();
        assertFalse(engine.cudaBuild(), engine.toString());
        assertEquals(0, engine.gpuCount());
        assertTrue(engine.libtorchPath().contains("cpu"), engine.libtorchPath());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("gpu"));
        assertTrue(e.getMessage().contains("-Pcuda"), e.getMessage());
    }

    @Test
    void anOrdinalMustBeBelowTheGpusTheEngineSees() {
        assertEquals(Device.gpu(1), DeviceSpec.parse("gpu:1", TWO_GPUS));
        assertEquals(Device.gpu(0), DeviceSpec.parse("auto", TWO_GPUS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("gpu:2", TWO_GPUS));
        assertTrue(e.getMessage().contains("sees 2 GPU(s)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("gpu:-1", TWO_GPUS));
        assertThrows(IllegalArgumentException.class, () -> DeviceSpec.parse("tpu", TWO_GPUS));
    }

    @Test
    void aCudaBuildIsKnownByItsCacheFolderWithoutADriver() {
        assertTrue(TorchEngine.isCudaFolder("/opt/djl-cache/pytorch/2.5.1-cu124-linux-x86_64"));
        assertFalse(TorchEngine.isCudaFolder("/root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64"));
        assertFalse(TorchEngine.isCudaFolder("/root/.djl.ai/pytorch/2.7.1-cpu-precxx11-linux-x86_64"));
    }
}
