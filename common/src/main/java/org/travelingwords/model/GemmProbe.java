package org.travelingwords.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * A short GEMM at a GPT-2 projection's shape (a [256, 768] batch slice times W_attn, 768 → 2304), on one
 * thread, timed by the calling thread's CPU time: on a shared, loaded machine the wall clock mixes in
 * other processes, CPU time much less. The paths take turns, run by run, so that a warming allocator or
 * a busy neighbour weighs on each alike. About 0.3 s for two paths.
 */
public final class GemmProbe {

    static final int ROWS = 256;
    static final int IN = 768;
    static final int OUT = 2304;
    private static final int WARM_UP = 5;
    private static final int RUNS = 9;

    private GemmProbe() {}

    /** GFLOP/s of each path on one thread, in order: the median of {@value #RUNS} runs after {@value #WARM_UP}. */
    public static double[] singleThreadGflops(List<Gemm> paths) {
        return TorchThreads.singleThreaded(() -> {
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                NDArray x = manager.randomNormal(new Shape(ROWS, IN));
                NDArray w = manager.randomNormal(new Shape(OUT, IN));
                long[][] nanos = new long[paths.size()][RUNS];
                for (int i = -WARM_UP; i < RUNS; i++) {
                    for (int p = 0; p < paths.size(); p++) {
                        long start = cpu.getCurrentThreadCpuTime();
                        paths.get(p).linear(x, w, null).close();
                        if (i >= 0) {
                            nanos[p][i] = cpu.getCurrentThreadCpuTime() - start;
                        }
                    }
                }
                return Arrays.stream(nanos).mapToDouble(GemmProbe::gflops).toArray();
            }
        });
    }

    private static double gflops(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return 2.0 * ROWS * IN * OUT / sorted[sorted.length / 2]; // FLOP per ns = GFLOP/s
    }
}
