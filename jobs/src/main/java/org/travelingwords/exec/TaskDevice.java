package org.travelingwords.exec;

import ai.djl.Device;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.model.DeviceSpec;

/**
 * The device a task runs the model on. With {@code --device auto} (the default) a task uses the
 * GPU Spark assigned to it through resource scheduling ({@code spark.task.resource.gpu.amount},
 * discovered by {@code conf/gpu-discovery.sh}) and the CPU when it got none, which is logged once
 * per executor. An explicit {@code cpu}, {@code gpu} or {@code gpu:N} is obeyed as given.
 */
public final class TaskDevice {

    public static final String AUTO = "auto";
    private static final Logger LOG = LoggerFactory.getLogger(TaskDevice.class);
    private static final AtomicBoolean CPU_LOGGED = new AtomicBoolean();

    private TaskDevice() {}

    /** The device for the running task. */
    public static Device forCurrentTask(String requested) {
        TaskContext task = TaskContext.get();
        return resolve(requested, task == null ? Map.of() : scala.jdk.javaapi.CollectionConverters.asJava(task.resources()));
    }

    /** Pure mapping from the requested device and the task's resources, for tests and {@link #forCurrentTask}. */
    static Device resolve(String requested, Map<String, ResourceInformation> resources) {
        if (!requested.equalsIgnoreCase(AUTO)) {
            return DeviceSpec.parse(requested);
        }
        ResourceInformation gpus = resources.get("gpu");
        if (gpus != null && gpus.addresses().length > 0) {
            return Device.gpu(Integer.parseInt(gpus.addresses()[0].trim()));
        }
        if (CPU_LOGGED.compareAndSet(false, true)) {
            LOG.info("no GPU assigned to this executor's tasks (spark.task.resource.gpu.amount unset or none found): "
                    + "running the model on the CPU");
        }
        return Device.cpu();
    }
}
