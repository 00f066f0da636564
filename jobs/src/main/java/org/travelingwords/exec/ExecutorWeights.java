package org.travelingwords.exec;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.ModelResolver;

/**
 * The checkpoint's host weights, read once per executor JVM and shared by its tasks ({@link ExecutorCache}): the static
 * probes slice heads out of them and build their own float64 arrays (DESIGN §6), which the cached
 * device model of {@code tw run} does not expose. The model argument resolves as for {@code tw run}:
 * {@code demo}, a local folder, a Hugging Face cache name, or a Hadoop URI copied to a local folder.
 */
public final class ExecutorWeights {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorWeights.class);
    private static final ExecutorCache<Gpt2Weights> WEIGHTS = new ExecutorCache<>("weights");

    private ExecutorWeights() {}

    /** The weights of {@code model}; the first call in a JVM also sets libtorch's threads ({@code ≤ 0}: spark.task.cpus). */
    public static Gpt2Weights get(String model, int torchThreads) {
        return WEIGHTS.get(model, () -> load(model, torchThreads));
    }

    /** This JVM with the times it read the weights of {@code model}, for the task's result. */
    public static ModelLoads loads(String model) {
        return WEIGHTS.loads(model);
    }

    private static Gpt2Weights load(String model, int torchThreads) {
        long start = System.nanoTime();
        try {
            int threads = ExecutorJvm.setTorchThreads(torchThreads);
            Gpt2Weights weights = ModelResolver.fromEnvironment().resolve(ExecutorJvm.localModel(model)).readWeights();
            String executor = ExecutorJvm.identity();
            LOG.info("read the weights of {} in {} ms ({} torch threads, executor {})", model,
                    (System.nanoTime() - start) / 1_000_000, threads, executor);
            return weights;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read model '" + model + "' on this executor: " + e.getMessage(), e);
        }
    }
}
