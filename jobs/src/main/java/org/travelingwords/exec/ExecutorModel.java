package org.travelingwords.exec;

import ai.djl.Device;
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
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.ModelResolver;
import org.travelingwords.model.ModelSource;
import org.travelingwords.model.Precision;
import org.travelingwords.model.TorchThreads;

/**
 * One model per executor JVM, shared by every task that runs there: the first task loads it
 * (counted in the {@code loads} accumulator), the others wait for it and reuse it. The model
 * argument is resolved on the executor: {@code demo}, a local folder, a Hugging Face cache name,
 * or any Hadoop URI ({@code hdfs://}, {@code s3a://}), which is copied to a local folder first.
 */
public final class ExecutorModel {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModel.class);
    private static final Map<String, HookedGpt2> MODELS = new ConcurrentHashMap<>();

    private ExecutorModel() {}

    public static HookedGpt2 get(ModelSettings settings, Device device, JobCounters counters) {
        String key = settings.model() + "@" + device + "/" + settings.precision();
        return MODELS.computeIfAbsent(key, k -> load(settings, device, counters));
    }

    private static HookedGpt2 load(ModelSettings settings, Device device, JobCounters counters) {
        String model = settings.model();
        int torchThreads = settings.torchThreads();
        long start = System.nanoTime();
        try {
            int threads = TorchThreads.set(torchThreads > 0 ? torchThreads : taskCpus());
            ModelSource source = ModelResolver.fromEnvironment().resolve(localCopy(model));
            HookedGpt2 loaded = HookedGpt2.load(source.readWeights(), device, Precision.parse(settings.precision()));
            counters.modelLoads().add(1);
            counters.executors().add(executorIdentity());
            LOG.info("loaded model {} from {} on {} in {} with {} torch threads in {} ms (executor {})", model,
                    source.folder(), device, loaded.dataType(), threads, (System.nanoTime() - start) / 1_000_000,
                    executorIdentity());
            return loaded;
        } catch (IOException e) {
            throw new IllegalStateException("cannot load model '" + model + "' on this executor: " + e.getMessage(), e);
        }
    }

    /** executor-id@host:pid of this JVM, so a run can show which executors loaded the model. */
    static String executorIdentity() {
        SparkEnv env = SparkEnv.get();
        String id = env != null ? env.executorId() : "?";
        String host = env != null ? env.blockManager().blockManagerId().host() : "?";
        return id + "@" + host + ":" + ProcessHandle.current().pid();
    }

    /**
     * The default libtorch thread count: the cores Spark gives each task (spark.task.cpus, which is
     * also what Spark exports as OMP_NUM_THREADS), so concurrent tasks do not oversubscribe the
     * executor. One task per executor with all its cores: set spark.task.cpus = spark.executor.cores.
     */
    private static int taskCpus() {
        TaskContext task = TaskContext.get();
        return task != null ? task.cpus() : Runtime.getRuntime().availableProcessors();
    }

    /** A Hadoop URI other than file: is copied into a local temporary folder once per JVM. */
    private static String localCopy(String model) throws IOException {
        if (!model.contains("://") || model.startsWith("file:")) {
            return model.startsWith("file:") ? Path.of(java.net.URI.create(model)).toString() : model;
        }
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(model);
        FileSystem fs = remote.getFileSystem(new Configuration());
        Path local = Files.createTempDirectory("tw-model-");
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path(remote, file),
                    new org.apache.hadoop.fs.Path(local.resolve(file).toUri()));
        }
        return local.toString();
    }
}
