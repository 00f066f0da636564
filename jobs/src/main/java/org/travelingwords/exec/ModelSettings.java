package org.travelingwords.exec;

import java.io.Serializable;

/**
 * How executors get the model: its {@code --model} argument, device ({@code auto} = the task's GPU),
 * libtorch threads per executor JVM and precision (fp32, or fp16 on GPUs).
 */
public record ModelSettings(String model, String device, int torchThreads, String precision) implements Serializable {}
