package org.travelingwords.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The out-of-memory back-off with a fake device that holds at most a given number of rows per shape. */
class OomBackoffTest {

    /** A batch runner that fails like libtorch (wrapped by DJL) above {@code capacity} rows and records what ran. */
    private static Consumer<List<Integer>> device(int capacity, List<List<Integer>> ran, int[] failures) {
        return batch -> {
            if (batch.size() > capacity) {
                failures[0]++;
                throw new EngineException("CUDA out of memory. Tried to allocate 1.50 GiB (GPU 0; 79.1 GiB total)");
            }
            ran.add(List.copyOf(batch));
        };
    }

    @Test
    void laterBatchesOfAShapeStartAtTheSizeThatFitted() {
        OomBackoff backoff = new OomBackoff();
        List<List<Integer>> ran = new ArrayList<>();
        int[] failures = {0};
        backoff.run(128, List.of(1, 2, 3, 4, 5, 6, 7, 8), device(2, ran, failures));
        assertEquals(2, failures[0], "8 rows failed, then the first 4; the second 4 were cut to 2 up front");
        assertEquals(2, backoff.rowLimit(128));
        backoff.run(128, List.of(9, 10, 11, 12, 13), device(2, ran, failures));
        assertEquals(2, failures[0], "no new failure once the size is known");
        assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6), List.of(7, 8), List.of(9, 10), List.of(11, 12),
                List.of(13)), ran, "every row once, in order");
    }

    @Test
    void eachShapeLearnsItsOwnSize() {
        OomBackoff backoff = new OomBackoff();
        backoff.run(1024, List.of(1, 2, 3), device(1, new ArrayList<>(), new int[1]));
        assertEquals(1, backoff.rowLimit(1024));
        assertEquals(Integer.MAX_VALUE, backoff.rowLimit(64), "a shorter bucket keeps its full batches");
    }

    @Test
    void anOddBatchSplitsIntoNearHalves() {
        List<List<Integer>> ran = new ArrayList<>();
        OomBackoff.run(List.of(1, 2, 3, 4, 5), device(3, ran, new int[1]));
        assertEquals(List.of(List.of(1, 2, 3), List.of(4, 5)), ran);
    }

    /** cuBLAS failing to allocate its workspace is the same condition under another name. */
    @Test
    void cublasAllocationFailureAlsoHalvesTheBatch() {
        List<List<Integer>> ran = new ArrayList<>();
        OomBackoff.run(List.of(1, 2, 3, 4), batch -> {
            if (batch.size() > 2) {
                throw new EngineException("CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`");
            }
            ran.add(List.copyOf(batch));
        });
        assertEquals(List.of(List.of(1, 2), List.of(3, 4)), ran);
    }

    @Test
    void aRowThatDoesNotFitAloneAndOtherFailuresPropagate() {
        assertThrows(EngineException.class, () -> new OomBackoff().run(16, List.of(1, 2), device(0, new ArrayList<>(), new int[1])));
        assertThrows(IllegalStateException.class, () -> new OomBackoff().run(16, List.of(1, 2), batch -> {
            throw new IllegalStateException("shape mismatch");
        }));
    }
}
