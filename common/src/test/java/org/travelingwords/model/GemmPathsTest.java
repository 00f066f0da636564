package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenBLAS's sgemm against libtorch's linear on the layouts the forward uses: exact fp32 up to rounding order.
 * On one libtorch thread, the only case where the OpenBLAS path multiplies itself.
 */
class GemmPathsTest {

    private static final double RELATIVE = 1e-5;

    private static NDManager manager;
    private static Gemm openBlas;
    private static int threads;

    @BeforeAll
    static void load() {
        threads = TorchThreads.current();
        TorchThreads.set(1);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        manager.getEngine().setRandomSeed(11);
        openBlas = OpenBlasGemm.load();
    }

    @AfterAll
    static void close() {
        manager.close();
        TorchThreads.set(threads);
    }

    @Test
    void batchedProjectionWithBias() {                      // a·W_attn + b_attn: [B, T, D] · [3D, D]ᵀ
        assertSamePaths(manager.randomNormal(new Shape(3, 17, 48)), manager.randomNormal(new Shape(144, 48)),
                manager.randomNormal(new Shape(144)));
    }

    @Test
    void nonSquareRowsWithoutBias() {                        // LNf(x)·Eᵀ: [n, D] · [V, D]ᵀ, V odd and large
        assertSamePaths(manager.randomNormal(new Shape(5, 64)), manager.randomNormal(new Shape(1001, 64)), null);
    }

    @Test
    void oneRowAndAnOddInnerSize() {
        assertSamePaths(manager.randomNormal(new Shape(1, 1, 37)), manager.randomNormal(new Shape(3, 37)),
                manager.randomNormal(new Shape(3)));
    }

    @Test
    void viewsStartingInsideTheirStorage() {                 // lens.get(row): a contiguous view at an offset
        NDArray batch = manager.randomNormal(new Shape(4, 9, 32));
        assertSamePaths(batch.get(new NDIndex("2")), manager.randomNormal(new Shape(40, 32)), null);
    }

    @Test
    void nonContiguousInput() {                              // a transposed x: DJL makes it contiguous first
        NDArray x = manager.randomNormal(new Shape(24, 10)).transpose();
        assertSamePaths(x, manager.randomNormal(new Shape(7, 24)), manager.randomNormal(new Shape(7)));
    }

    @Test
    void conv1dWeightsTransposedOnceAtLoad() {               // HookedGpt2's layout: W [in, out] stored as Wᵀ, contiguous
        NDArray stored = manager.randomNormal(new Shape(32, 96));
        assertSamePaths(manager.randomNormal(new Shape(2, 6, 32)), stored.transpose().duplicate(),
                manager.randomNormal(new Shape(96)));
    }

    @Test
    void withMoreLibtorchThreadsTheProductIsLibtorchs() {   // OpenBLAS's pool would contend with libtorch's
        NDArray x = manager.randomNormal(new Shape(64, 256));
        NDArray weight = manager.randomNormal(new Shape(96, 256));
        TorchThreads.set(2);
        try {
            assertArrayEquals(LibtorchGemm.INSTANCE.linear(x, weight, null).toFloatArray(),
                    openBlas.linear(x, weight, null).toFloatArray());
        } finally {
            TorchThreads.set(1);
        }
    }

    private static void assertSamePaths(NDArray x, NDArray weight, NDArray bias) {
        NDArray expected = LibtorchGemm.INSTANCE.linear(x, weight, bias);
        NDArray actual = openBlas.linear(x, weight, bias);
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
        float scale = expected.abs().max().getFloat();
        float error = expected.sub(actual).abs().max().getFloat();
        assertTrue(error <= RELATIVE * scale, "max |openblas − libtorch| = " + error + " against max |y| = " + scale);
    }
}
