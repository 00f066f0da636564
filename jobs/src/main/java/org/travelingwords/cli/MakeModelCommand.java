package org.travelingwords.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.travelingwords.model.Activation;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tw make-model}: a Hugging Face folder with deterministic random GPT-2 weights. */
@Command(name = "make-model", mixinStandardHelpOptions = true,
        description = "Write a GPT-2 with deterministic random weights as a Hugging Face folder (config.json + model.safetensors, float32).")
final class MakeModelCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Folder to write.")
    Path out;

    @Option(names = "--layers", defaultValue = "2", description = "n_layer (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "4", description = "n_head (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--d-model", defaultValue = "64", description = "n_embd (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Option(names = "--vocab", defaultValue = "50257", description = "vocab_size (default: ${DEFAULT-VALUE}, GPT-2's).")
    int vocab;

    @Option(names = "--positions", defaultValue = "256", description = "n_positions (default: ${DEFAULT-VALUE}).")
    int positions;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed; the same seed gives the same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--std", defaultValue = "0.02", description = "Standard deviation of matrices and biases (default: ${DEFAULT-VALUE}).")
    double std;

    @Option(names = "--activation", defaultValue = "gelu_new",
            description = "activation_function: gelu_new, gelu_pytorch_tanh, gelu_fast or gelu (default: ${DEFAULT-VALUE}).")
    String activation;

    @Override
    public Integer call() throws Exception {
        Gpt2Config config = new Gpt2Config(layers, heads, dModel, vocab, positions, 1e-5, 4 * dModel,
                Activation.fromConfigName(activation), activation);
        RandomGpt2.generate(config, seed, std).writeFolder(out);
        System.out.println("wrote " + out.toAbsolutePath() + " (" + layers + " layers, " + heads + " heads, d_model "
                + dModel + ", vocab " + vocab + ", positions " + positions + ", seed " + seed + ")");
        return 0;
    }
}
