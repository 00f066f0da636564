package org.travelingwords.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's intra-op thread count for this JVM. Set on purpose: Spark executors export
 * OMP_NUM_THREADS = spark.task.cpus, which would otherwise decide it silently.
 */
public final class TorchThreads {

    private TorchThreads() {}

    /** Sets the count (≤ 0 means one per available core) and returns what libtorch now uses. */
    public static int set(int threads) {
        Engine.getEngine("PyTorch"); // loads libtorch before its thread pool is touched
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        JniUtils.setNumThreads(n);
        return JniUtils.getNumThreads();
    }

    public static int current() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }
}
