package org.travelingwords.exec;

import java.io.Serializable;

/** How executors get the model: its {@code --model} argument, device and libtorch threads per executor JVM. */
public record ModelSettings(String model, String device, int torchThreads) implements Serializable {}
