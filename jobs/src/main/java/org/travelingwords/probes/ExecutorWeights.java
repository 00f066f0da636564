package org.travelingwords.probes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.exec.JobCounters;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.ModelResolver;
import org.travelingwords.model.TorchThreads;

/**
 * The checkpoint's host weights, read once per executor JVM and shared by its tasks: the static
 * probes slice heads out of them and build their own float64 arrays (DESIGN §6), which the cached
 * device model of {@code tw run} does not expose. The model argument resolves as for {@code tw run}:
 * {@code demo}, a local folder, a Hugging Face cache name, or a Hadoop URI copied to a local folder.
 */
public final class ExecutorWeights {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorWeights.class);
    private static final Map<String, Gpt2Weights> WEIGHTS = new ConcurrentHashMap<>();

    private ExecutorWeights() {}

    /** The weights of {@code model}; the first call in a JVM also sets libtorch's threads ({@code ≤ 0}: spark.task.cpus). */
    public static Gpt2Weights get(String model, int torchThreads, JobCounters counters) {
        return WEIGHTS.computeIfAbsent(model, m -> load(m, torchThreads, counters));
    }

    private static Gpt2Weights load(String model, int torchThreads, JobCounters counters) {
        long start = System.nanoTime();
        try {
            TaskContext task = TaskContext.get();
            int threads = TorchThreads.set(torchThreads > 0 ? torchThreads
                    : task != null ? task.cpus() : Runtime.getRuntime().availableProcessors());
            Gpt2Weights weights = ModelResolver.fromEnvironment().resolve(localFolder(model)).readWeights();
            SparkEnv env = SparkEnv.get();
            String executor = (env != null ? env.executorId() + "@" + env.blockManager().blockManagerId().host() : "?")
                    + ":" + ProcessHandle.current().pid();
            counters.modelLoads().add(1);
            counters.executors().add(executor);
            LOG.info("read the weights of {} in {} ms ({} torch threads, executor {})", model,
                    (System.nanoTime() - start) / 1_000_000, threads, executor);
            return weights;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read model '" + model + "' on this executor: " + e.getMessage(), e);
        }
    }

    /** A Hadoop URI other than file: is copied into a local temporary folder; anything else is returned as a path. */
    private static String localFolder(String model) throws IOException {
        if (model.startsWith("file:")) {
            return Path.of(java.net.URI.create(model)).toString();
        }
        if (!model.contains("://")) {
            return model;
        }
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(model);
        FileSystem fs = remote.getFileSystem(new Configuration());
        Path local = Files.createTempDirectory("tw-probe-model-");
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path(remote, file),
                    new org.apache.hadoop.fs.Path(local.resolve(file).toUri()));
        }
        return local.toString();
    }
}
