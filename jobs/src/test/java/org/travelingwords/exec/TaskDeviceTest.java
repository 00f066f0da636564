package org.travelingwords.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

/** Task resources → device, with fabricated resources (no GPU here), and the out-of-memory back-off. */
class TaskDeviceTest {

    private static Map<String, ResourceInformation> gpus(String... addresses) {
        return Map.of("gpu", new ResourceInformation("gpu", addresses));
    }

    @Test
    void autoTakesTheGpuSparkAssigned() {
        assertEquals(Device.gpu(3), TaskDevice.resolve("auto", gpus("3")));
        assertEquals(Device.gpu(0), TaskDevice.resolve("auto", gpus("0", "1")));
    }

    @Test
    void autoWithoutAGpuRunsOnTheCpu() {
        assertEquals(Device.cpu(), TaskDevice.resolve("auto", Map.of()));
        assertEquals(Device.cpu(), TaskDevice.resolve("auto", gpus()));
    }

    @Test
    void anExplicitDeviceIsObeyed() {
        assertEquals(Device.cpu(), TaskDevice.resolve("cpu", gpus("1")));
        assertEquals(Device.gpu(2), TaskDevice.resolve("gpu:2", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> TaskDevice.resolve("tpu", Map.of()));
    }

    @Test
    void outOfMemoryHalvesTheBatchUntilItFits() {
        List<Integer> rows = List.of(1, 2, 3, 4, 5, 6, 7, 8);
        List<List<Integer>> ran = new ArrayList<>();
        OomBackoff.run(rows, batch -> {
            if (batch.size() > 2) {
                throw new RuntimeException(new IllegalStateException("CUDA out of memory. Tried to allocate 2.00 GiB"));
            }
            ran.add(List.copyOf(batch));
        });
        assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6), List.of(7, 8)), ran);
    }

    @Test
    void otherFailuresAndASingleRowThatDoesNotFitPropagate() {
        assertThrows(IllegalArgumentException.class,
                () -> OomBackoff.run(List.of(1, 2), batch -> { throw new IllegalArgumentException("bad input"); }));
        assertThrows(RuntimeException.class,
                () -> OomBackoff.run(List.of(1, 2), batch -> { throw new RuntimeException("CUDA out of memory"); }));
    }
}
