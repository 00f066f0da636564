package org.travelingwords.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.travelingwords.model.TorchEngine;

/** Task resources, master and engine → device, with fabricated inputs (no GPU here). */
class TaskDeviceTest {

    private static final TorchEngine CPU_BUILD = new TorchEngine(false, 0, "/cache/pytorch/2.7.1-20250812-cpu-linux-x86_64");
    private static final TorchEngine FOUR_GPUS = new TorchEngine(true, 4, "/opt/djl-cache/pytorch/2.5.1-cu124-linux-x86_64");
    private static final TorchEngine CUDA_NO_GPU = new TorchEngine(true, 0, "/opt/djl-cache/pytorch/2.5.1-cu124-linux-x86_64");

    @Test
    void autoTakesTheGpuSparkAssigned() {
        assertEquals(Device.gpu(3), TaskDevice.resolve("auto", List.of("3"), false, FOUR_GPUS));
        assertEquals(Device.gpu(0), TaskDevice.resolve("auto", List.of("0", "1"), true, FOUR_GPUS));
    }

    @Test
    void autoInLocalModeFallsBackToTheFirstVisibleGpu() {
        assertEquals(Device.gpu(0), TaskDevice.resolve("auto", List.of(), true, FOUR_GPUS));
        assertEquals(Device.cpu(), TaskDevice.resolve("auto", List.of(), true, CUDA_NO_GPU));
        assertEquals(Device.cpu(), TaskDevice.resolve("auto", List.of(), true, CPU_BUILD));
    }

    @Test
    void autoOnAClusterExecutorWithoutAnAssignedGpuRunsOnTheCpu() {
        assertEquals(Device.cpu(), TaskDevice.resolve("auto", List.of(), false, FOUR_GPUS));
        assertEquals(Device.cpu(), TaskDevice.resolve("auto", List.of(), false, CPU_BUILD));
    }

    @Test
    void anExplicitDeviceIsObeyedAndChecked() {
        assertEquals(Device.cpu(), TaskDevice.resolve("cpu", List.of("1"), false, FOUR_GPUS));
        assertEquals(Device.gpu(2), TaskDevice.resolve("gpu:2", List.of(), false, FOUR_GPUS));
        assertThrows(IllegalArgumentException.class, () -> TaskDevice.resolve("tpu", List.of(), false, FOUR_GPUS));
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                () -> TaskDevice.resolve("gpu:4", List.of(), false, FOUR_GPUS));
        assertTrue(beyond.getMessage().contains("sees 4 GPU(s)"), beyond.getMessage());
    }

    @Test
    void aSparkAddressBeyondTheEnginesGpusIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskDevice.resolve("auto", List.of("5"), false, FOUR_GPUS));
        assertTrue(e.getMessage().contains("gpu(5)") && e.getMessage().contains("CUDA_VISIBLE_DEVICES"), e.getMessage());
    }

    @Test
    void theDriverRefusesAGpuOnACpuBuildAndLoadsNoEngineOtherwise() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskDevice.checkOnDriver("gpu:1", () -> CPU_BUILD));
        assertTrue(e.getMessage().contains("-Pcuda"), e.getMessage());
        TaskDevice.checkOnDriver("gpu:1", () -> CUDA_NO_GPU);   // the driver's own GPUs do not matter
        TaskDevice.checkOnDriver("auto", () -> { throw new AssertionError("auto needs no engine on the driver"); });
        TaskDevice.checkOnDriver("cpu", () -> { throw new AssertionError("cpu needs no engine on the driver"); });
    }

    @Test
    void onlyLocalAndLocalNShareTheDriversJvm() {
        assertTrue(TaskDevice.isLocal("local[*]") && TaskDevice.isLocal("local") && TaskDevice.isLocal("local[2]"));
        assertTrue(!TaskDevice.isLocal("local-cluster[2,1,1024]") && !TaskDevice.isLocal("spark://h:7077"));
    }
}
