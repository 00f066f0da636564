package org.travelingwords.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.travelingwords.model.TorchEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tw devices}: what the PyTorch engine can run on, and proof that its kernels run on each device. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Print the PyTorch engine (version, CUDA build, GPUs it sees, libtorch folder), then run a matmul "
                + "and an fp16 cast on the CPU and on every GPU, one line each; exit 1 if any fails.")
final class DevicesCommand implements Callable<Integer> {

    private static final int N = 64;

    @Option(names = "--require-gpu", description = "Also fail unless the engine was built with CUDA and sees a GPU.")
    boolean requireGpu;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TorchEngine engine = TorchEngine.current();
        out.printf("engine PyTorch %s cuda_build=%s gpus=%d libtorch=%s%n", Engine.getEngine("PyTorch").getVersion(),
                engine.cudaBuild(), engine.gpuCount(), engine.libtorchPath());
        if (requireGpu && (!engine.cudaBuild() || engine.gpuCount() == 0)) {
            spec.commandLine().getErr().println(engine.cudaBuild()
                    ? "tw devices: the engine has CUDA but sees no GPU (driver, CUDA_VISIBLE_DEVICES, container runtime?)"
                    : "tw devices: the engine was built without CUDA: build with -Pcuda");
            return 1;
        }
        List<Device> devices = new ArrayList<>(List.of(Device.cpu()));
        for (int g = 0; g < engine.gpuCount(); g++) {
            devices.add(Device.gpu(g));
        }
        int failures = 0;
        for (Device device : devices) {
            long start = System.nanoTime();
            try {
                check(device);
                out.printf("device %s: matmul ok, fp16 cast ok (%d ms)%n", device, (System.nanoTime() - start) / 1_000_000);
            } catch (RuntimeException e) {
                out.printf("device %s: FAILED: %s%n", device, e.getMessage());
                failures++;
            }
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    /** Ones·ones is N everywhere, and N survives an fp16 round trip exactly: any other value is a broken kernel. */
    static void check(Device device) {
        try (NDManager manager = NDManager.newBaseManager(device, "PyTorch")) {
            NDArray ones = manager.ones(new Shape(N, N));
            NDArray product = ones.matMul(ones);
            float[] roundTrip = product.toType(DataType.FLOAT16, false).toType(DataType.FLOAT32, false).toFloatArray();
            for (float v : roundTrip) {
                if (v != N) {
                    throw new IllegalStateException("ones(" + N + "x" + N + ") squared gave " + v + " after fp16, not " + N);
                }
            }
        }
    }
}
