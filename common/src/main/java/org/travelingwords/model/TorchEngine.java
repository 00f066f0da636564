package org.travelingwords.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the PyTorch engine of this JVM can run on: whether its libtorch was built with CUDA, how many
 * GPUs it sees (after {@code CUDA_VISIBLE_DEVICES}) and where libtorch lies. A device is checked
 * against it when it is chosen, so a wrong one fails at once with the reason instead of in every
 * task with libtorch's "Could not run 'aten::empty_strided' … 'CUDA' backend".
 */
public record TorchEngine(boolean cudaBuild, int gpuCount, String libtorchPath) {

    /** DJL's cache folder is VERSION[-DATE]-FLAVOR-CLASSIFIER; CUDA flavors are cuNNN (docker/fill-djl-cache.sh). */
    private static final Pattern CUDA_FOLDER = Pattern.compile(".*-cu\\d+-.*");

    /** The engine of this JVM (loads libtorch if nothing has yet). */
    public static TorchEngine current() {
        Engine engine = Engine.getEngine("PyTorch");
        String path = LibUtils.getLibtorchPath();
        // The CUDA capability needs a driver and a GPU; the folder name tells a CUDA build without them.
        boolean cuda = engine.hasCapability(StandardCapabilities.CUDA) || isCudaFolder(path);
        return new TorchEngine(cuda, engine.getGpuCount(), path);
    }

    static boolean isCudaFolder(String libtorchPath) {
        Path name = Path.of(libtorchPath).getFileName();
        return name != null && CUDA_FOLDER.matcher(name.toString()).matches();
    }

    /**
     * {@code device} if this build can run on it at all: a GPU needs a CUDA libtorch. What a driver
     * can check before any task, whatever GPUs its own machine has.
     */
    public Device requireCudaBuild(Device device) {
        if (device.isGpu() && !cudaBuild) {
            throw new IllegalArgumentException("device " + device + " requested, but this build's PyTorch engine was built "
                    + "without CUDA (libtorch " + libtorchPath + "): build with -Pcuda (README, GPUs), or use --device cpu");
        }
        return device;
    }

    /** {@code device} if it runs here: a GPU needs a CUDA build and an ordinal below the GPUs this engine sees. */
    public Device check(Device device) {
        requireCudaBuild(device);
        if (device.isGpu() && device.getDeviceId() >= gpuCount) {
            throw new IllegalArgumentException("device " + device + " requested, but the PyTorch engine sees " + gpuCount
                    + " GPU(s) (ordinals 0.." + (gpuCount - 1) + "; CUDA_VISIBLE_DEVICES="
                    + Objects.requireNonNullElse(System.getenv("CUDA_VISIBLE_DEVICES"), "unset") + ")");
        }
        return device;
    }
}
