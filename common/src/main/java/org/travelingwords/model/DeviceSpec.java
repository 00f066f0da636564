package org.travelingwords.model;

import ai.djl.Device;
import java.util.Locale;

/** Parses {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto} (the first GPU if there is one). */
public final class DeviceSpec {

    private DeviceSpec() {}

    /** The device {@code spec} names on this JVM's engine, checked against it ({@link TorchEngine#check}). */
    public static Device parse(String spec) {
        return parse(spec, TorchEngine.current());
    }

    public static Device parse(String spec, TorchEngine engine) {
        if (isAuto(spec)) {
            return engine.gpuCount() > 0 ? Device.gpu(0) : Device.cpu();
        }
        return engine.check(named(spec));
    }

    public static boolean isAuto(String spec) {
        return spec.trim().equalsIgnoreCase("auto");
    }

    /** The device an explicit {@code cpu}, {@code gpu} or {@code gpu:N} names, from the text alone. */
    public static Device named(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.equals("cuda")) {
            return Device.gpu(0);
        }
        if (s.matches("(gpu|cuda):\\d+")) {
            return Device.gpu(Integer.parseInt(s.substring(s.indexOf(':') + 1)));
        }
        throw new IllegalArgumentException("device '" + spec + "': expected cpu, gpu, gpu:N or auto");
    }
}
