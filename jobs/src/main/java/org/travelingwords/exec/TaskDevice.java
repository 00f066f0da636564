package org.travelingwords.exec;

import ai.djl.Device;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.model.DeviceSpec;
import org.travelingwords.model.TorchEngine;

/**
 * The device a task runs the model on. With {@code --device auto} (the default) a task uses the
 * GPU Spark assigned to it through resource scheduling ({@code spark.task.resource.gpu.amount},
 * discovered by {@code conf/gpu-discovery.sh}); in local mode, where Spark assigns none, the first
 * GPU the engine sees; else the CPU. An explicit {@code cpu}, {@code gpu} or {@code gpu:N} is obeyed
 * as given. Every GPU is checked against the engine ({@link TorchEngine#check}); the device that ran
 * is logged once per JVM, at WARN when it leaves a GPU unused or was not Spark's choice.
 */
public final class TaskDevice {

    private static final Logger LOG = LoggerFactory.getLogger(TaskDevice.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private TaskDevice() {}

    /** The device for the running task. */
    public static Device forCurrentTask(String requested) {
        TaskContext task = TaskContext.get();
        ResourceInformation gpus = task == null ? null
                : scala.jdk.javaapi.CollectionConverters.asJava(task.resources()).get("gpu");
        List<String> taskGpus = gpus == null ? List.of() : List.of(gpus.addresses());
        SparkEnv env = SparkEnv.get();
        boolean local = env != null && isLocal(env.conf().get("spark.master", ""));
        TorchEngine engine = TorchEngine.current();
        Device device = resolve(requested, taskGpus, local, engine);
        if (LOGGED.compareAndSet(false, true)) {
            log(requested, device, taskGpus, engine);
        }
        return device;
    }

    /**
     * Fails on the driver, before any task, when {@code requested} names a GPU this build cannot
     * run on; {@code engine} is only loaded for an explicit GPU.
     */
    public static void checkOnDriver(String requested, Supplier<TorchEngine> engine) {
        if (!DeviceSpec.isAuto(requested)) {
            Device device = DeviceSpec.named(requested);
            if (device.isGpu()) {
                engine.get().requireCudaBuild(device);
            }
        }
    }

    /** The decision, from the request, the task's GPU addresses, whether the master is local and the engine. */
    static Device resolve(String requested, List<String> taskGpus, boolean localMaster, TorchEngine engine) {
        if (!DeviceSpec.isAuto(requested)) {
            return DeviceSpec.parse(requested, engine);
        }
        if (!taskGpus.isEmpty()) {
            return engine.check(Device.gpu(Integer.parseInt(taskGpus.get(0).trim())));
        }
        if (localMaster && engine.gpuCount() > 0) {
            return Device.gpu(0);       // local[*] offers tasks no GPU resources
        }
        return Device.cpu();
    }

    /** local and local[N] run tasks in the driver's JVM; local-cluster has executors of its own. */
    static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    private static void log(String requested, Device device, List<String> taskGpus, TorchEngine engine) {
        if (!device.isGpu() && engine.gpuCount() > 0) {
            LOG.warn("the model runs on the CPU although this JVM sees {} GPU(s) (--device {}, task GPUs {}): set "
                    + "spark.task.resource.gpu.amount or --device gpu", engine.gpuCount(), requested, taskGpus);
        } else if (device.isGpu() && taskGpus.isEmpty() && DeviceSpec.isAuto(requested)) {
            LOG.warn("local mode: Spark assigns tasks no GPU, so the model runs on {}, the first of the {} GPU(s) this JVM "
                    + "sees", device, engine.gpuCount());
        } else {
            LOG.info("the model runs on {} (--device {}, task GPUs {}, {} GPU(s) visible)", device, requested, taskGpus,
                    engine.gpuCount());
        }
    }
}
