package org.travelingwords.trajectory;

import java.io.Serializable;

/** What the trajectory tasks need: the {@code --model} argument, device, libtorch threads per executor, and k of the lens. */
public record TrajectorySettings(String model, String device, int torchThreads, int topK) implements Serializable {}
