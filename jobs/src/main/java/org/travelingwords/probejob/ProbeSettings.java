package org.travelingwords.probejob;

import java.io.Serializable;

/**
 * What every probe task needs: the {@code --model} argument, the device ({@code auto}: the task's
 * GPU, else the CPU) and libtorch threads per executor, the query nouns as token ids, and k.
 */
public record ProbeSettings(String model, String device, int torchThreads, int[] nouns, int topK) implements Serializable {}
