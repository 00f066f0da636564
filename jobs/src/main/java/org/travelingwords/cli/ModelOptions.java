package org.travelingwords.cli;

import ai.djl.Device;
import java.io.IOException;
import org.travelingwords.model.DeviceSpec;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.ModelResolver;
import org.travelingwords.model.ModelSource;
import org.travelingwords.model.TorchThreads;
import picocli.CommandLine.Option;

/** The options every command that runs the model shares: which model, where, with how many threads. */
final class ModelOptions {

    @Option(names = "--model", defaultValue = "demo",
            description = "demo, a folder with config.json + model.safetensors, or a hub name found in the "
                    + "Hugging Face cache (gpt2, gpt2-medium, openai-community/gpt2, …). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--revision", defaultValue = "main", description = "Hub revision for a hub name (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--torch-threads", defaultValue = "0",
            description = "libtorch intra-op threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    ModelSource resolve() throws IOException {
        return ModelResolver.fromEnvironment().resolve(model, revision);
    }

    Device device() {
        return DeviceSpec.parse(device);
    }

    HookedGpt2 load(ModelSource source) throws IOException {
        int used = TorchThreads.set(threads);
        System.err.println("model " + source.name() + " from " + source.folder() + " on " + device() + ", " + used + " torch threads");
        return HookedGpt2.load(source.readWeights(), device());
    }
}
