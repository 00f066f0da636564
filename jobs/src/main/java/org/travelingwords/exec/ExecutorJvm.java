package org.travelingwords.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.travelingwords.model.TorchThreads;

/**
 * The executor JVM as seen by what loads a model there once for all its tasks ({@link ExecutorModel},
 * the probes' weights): its identity, its libtorch threads, and a local copy of the model.
 */
public final class ExecutorJvm {

    private ExecutorJvm() {}

    /** executor-id@host:pid of this JVM, so a run can show which executors loaded the model. */
    public static String identity() {
        SparkEnv env = SparkEnv.get();
        String id = env != null ? env.executorId() : "?";
        String host = env != null ? env.blockManager().blockManagerId().host() : "?";
        return id + "@" + host + ":" + ProcessHandle.current().pid();
    }

    /**
     * Sets libtorch's intra-op threads to {@code requested}, or when it is ≤ 0 to the cores Spark gives
     * each task (spark.task.cpus, which is also what Spark exports as OMP_NUM_THREADS), so concurrent
     * tasks do not oversubscribe the executor. One task per executor with all its cores: set
     * spark.task.cpus = spark.executor.cores. Returns the threads set.
     */
    public static int setTorchThreads(int requested) {
        TaskContext task = TaskContext.get();
        return TorchThreads.set(requested > 0 ? requested
                : task != null ? task.cpus() : Runtime.getRuntime().availableProcessors());
    }

    /**
     * The model argument as the model resolver takes it: a Hadoop URI other than file: is copied into
     * a local temporary folder, a file: URI becomes its path, anything else is returned as it is.
     */
    public static String localModel(String model) throws IOException {
        if (model.startsWith("file:")) {
            return Path.of(java.net.URI.create(model)).toString();
        }
        if (!model.contains("://")) {
            return model;
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

    /** Test hook: the executor JVM halts, as under kill -9, in the first task that creates this file. */
    public static final String HALT_ONCE = "tw.test.haltExecutorOnce";

    /**
     * Halts this JVM if {@link #HALT_ONCE} names a file that no task has created yet (creating it is
     * atomic, so exactly one task of a run halts): how the cluster test loses an executor mid-job.
     */
    public static void haltOnceIfAsked() {
        String marker = System.getProperty(HALT_ONCE);
        if (marker == null) {
            return;
        }
        try {
            Files.createFile(Path.of(marker));
        } catch (IOException alreadyHalted) {
            return;
        }
        Runtime.getRuntime().halt(137);
    }
}
