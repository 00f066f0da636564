package org.travelingwords.cli;

import picocli.CommandLine.Option;

/** Where tw probe and tw trajectory run the model on each executor: the device and libtorch's threads. */
final class ExecutorDeviceOptions {

    @Option(names = "--device", defaultValue = "auto",
            description = "auto: the GPU Spark assigned to the task, else the CPU; or cpu, gpu, gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--torch-threads", defaultValue = "0",
            description = "libtorch intra-op threads per executor JVM; 0 = spark.task.cpus (default: ${DEFAULT-VALUE}).")
    int torchThreads;

    /** {@code --device}, refused here on the driver when it names a GPU this build cannot run on. */
    String device() throws ConfigurationException {
        return RunPreflight.device(device);
    }
}
