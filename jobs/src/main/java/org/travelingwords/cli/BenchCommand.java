package org.travelingwords.cli;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.travelingwords.bench.ForwardBenchmark;
import org.travelingwords.model.DeviceSpec;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.model.TorchThreads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tw bench}: throughput of the engine on a GPT-2-124M-shaped random model. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure tokens/s of the forward (with logits, without, with the sphere hooks) and matmul GFLOP/s, "
                + "on a random model of GPT-2-124M's shape built in memory. Prints a table, then one "
                + "machine-readable 'bench …' line per figure.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--batch", defaultValue = "8", description = "Rows per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seq", defaultValue = "256", description = "Tokens per row (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs per figure; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", defaultValue = "0", description = "libtorch intra-op threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--layers", defaultValue = "12", description = "Model shape: n_layer (default: ${DEFAULT-VALUE}, GPT-2 124M).")
    int layers;

    @Option(names = "--heads", defaultValue = "12", description = "Model shape: n_head (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--d-model", defaultValue = "768", description = "Model shape: n_embd (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Override
    public Integer call() {
        int usedThreads = TorchThreads.set(threads);
        Device dev = DeviceSpec.parse(device);
        Gpt2Config config = Gpt2Config.of(layers, heads, dModel, 50257, Math.max(1024, seq));
        System.out.printf(Locale.ROOT, "model: L%d H%d D%d V%d (random), batch %d x %d, %s, %d torch threads, %d cores%n",
                layers, heads, dModel, config.vocabSize(), batch, seq, dev, usedThreads,
                Runtime.getRuntime().availableProcessors());
        try (HookedGpt2 model = HookedGpt2.load(RandomGpt2.generate(config, 1, 0.02), dev)) {
            ForwardBenchmark bench = new ForwardBenchmark(model, batch, seq, runs);
            double gflops = bench.matmulGflops();
            List<ForwardBenchmark.Figure> figures = new ArrayList<>();
            figures.add(bench.forward("forward_logits", HookPlan.fullForward(layers, true), (n, v) -> { }, true, gflops));
            figures.add(bench.forward("forward_nologits", HookPlan.fullForward(layers, false), (n, v) -> { }, false, gflops));
            figures.add(bench.forward("forward_hooked", ForwardBenchmark.sphereHooks(layers),
                    ForwardBenchmark.normsToHost(), false, gflops));
            System.out.printf(Locale.ROOT, "%-18s %12s %14s %8s%n", "figure", "tokens/s", "MFLOP/token", "MFU");
            for (ForwardBenchmark.Figure f : figures) {
                System.out.printf(Locale.ROOT, "%-18s %12.1f %14.1f %7.1f%%%n", f.name(), f.tokensPerSecond(),
                        f.flopsPerToken() / 1e6, 100 * f.mfu());
            }
            System.out.printf(Locale.ROOT, "%-18s %12s %14.1f GFLOP/s%n", "matmul", "", gflops);
            for (ForwardBenchmark.Figure f : figures) {
                System.out.printf(Locale.ROOT, "bench %s tokens_per_s=%.1f mfu=%.3f%n", f.name(), f.tokensPerSecond(), f.mfu());
            }
            System.out.printf(Locale.ROOT, "bench matmul gflops=%.1f threads=%d%n", gflops, usedThreads);
        }
        return 0;
    }
}
