package org.travelingwords.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * libtorch's intra-op thread count for this JVM. Set on purpose: Spark executors export
 * OMP_NUM_THREADS = spark.task.cpus, which would otherwise decide it silently.
 */
public final class TorchThreads {

    private TorchThreads() {}

    /** Sets the count (≤ 0 means one per available core) and returns what libtorch now uses. */
    public static synchronized int set(int threads) {
        Engine.getEngine("PyTorch"); // loads libtorch before its thread pool is touched
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        JniUtils.setNumThreads(n);
        return JniUtils.getNumThreads();
    }

    /**
     * Runs {@code work} with libtorch on one thread, then restores the count: for timings comparable per
     * thread (OpenBLAS always runs on one). Other threads' forwards run single-threaded meanwhile.
     */
    public static synchronized <T> T singleThreaded(Supplier<T> work) {
        int before = current();
        JniUtils.setNumThreads(1);
        try {
            return work.get();
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    public static int current() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }
}
