package org.travelingwords.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Parses {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (the first GPU if there is one). */
public final class DeviceSpec {

    private DeviceSpec() {}

    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("auto")) {
            return Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (s.equals("gpu") || s.equals("cuda")) {
            return Device.gpu(0);
        }
        if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
            return Device.gpu(Integer.parseInt(s.substring(s.indexOf(':') + 1)));
        }
        throw new IllegalArgumentException("device '" + spec + "': expected cpu, gpu, gpu:N or auto");
    }
}
