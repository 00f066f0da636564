package org.travelingwords.cli;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.bench.ForwardBenchmark;
import org.travelingwords.bench.JobBenchmark;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.heads.HeadsOptions;
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
                + "on a random model of GPT-2-124M's shape built in memory; with --job, the whole tw run too "
                + "(--analyses sphere,heads: next to sphere-only). Prints a table, then one "
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

    @Option(names = "--job", description = "Also run the whole corpus job in local Spark on this model shape over a generated corpus.")
    boolean job;

    @Option(names = "--job-tokens", defaultValue = "100000", description = "Corpus size for --job, in tokens (default: ${DEFAULT-VALUE}).")
    long jobTokens;

    @Option(names = "--job-partitions", defaultValue = "2", description = "Model-stage partitions for --job (default: ${DEFAULT-VALUE}).")
    int jobPartitions;

    @Option(names = "--job-torch-threads", defaultValue = "1", description = "libtorch threads for --job (default: ${DEFAULT-VALUE}; 0 = spark.task.cpus).")
    int jobTorchThreads;

    @Option(names = "--analyses", split = ",", defaultValue = "sphere",
            description = "Analyses of the --job run; with more than sphere, a sphere-only run is timed too, for comparison "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> analyses;

    @Option(names = "--promoted-sample-rate", defaultValue = "0.03125",
            description = "heads: the promoted view's token sample of the --job run, as in tw run (default: ${DEFAULT-VALUE}).")
    double promotedSampleRate;

    @Override
    public Integer call() throws Exception {
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
            figures.add(bench.sphere(gflops));
            if (analyses.contains("heads")) {
                figures.add(bench.sphereAndHeads(gflops,
                        promotedSampleRate > 0 ? (int) Math.round(1 / promotedSampleRate) : Integer.MAX_VALUE));
            }
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
            if (job) {
                runJob(config, figures.get(1).tokensPerSecond());
            }
        }
        return 0;
    }

    /**
     * The whole job, timed end to end, against the bare forward (line b); with more analyses than
     * sphere, also against the sphere-only job. A small sphere-only run goes first and is not timed:
     * it pays Spark's start and the executor's model load, which would otherwise fall on whichever
     * timed run came first, so both timed runs start warm and differ only by their analyses.
     */
    private void runJob(Gpt2Config config, double bareForward) throws IOException {
        Path dir = Files.createTempDirectory("tw-bench-job");
        try {
            Path model = JobBenchmark.writeModel(dir.resolve("model"), config);
            Path corpus = JobBenchmark.writeCorpus(dir.resolve("corpus"), jobTokens, 3 * seq / 2);
            Path warmUpCorpus = JobBenchmark.writeCorpus(dir.resolve("warm-up"), 2L * batch * seq, 3 * seq / 2);
            SparkSession spark = SparkSession.builder()
                    .master("local[*]").appName("tw-bench").config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1").getOrCreate();
            try {
                spark.sparkContext().setLogLevel("WARN");
                HeadsOptions heads = new HeadsOptions(HeadsOptions.DEFAULTS.qkTop(), HeadsOptions.DEFAULTS.subjectTop(),
                        promotedSampleRate, HeadsOptions.DEFAULTS.maxClusters(), HeadsOptions.DEFAULTS.clusters());
                RunRecord warmUp = JobBenchmark.run(spark, warmUpCorpus, model, dir.resolve("out-warm-up"), seq, batch * seq,
                        jobPartitions, jobTorchThreads, List.of("sphere"), heads);
                System.out.printf(Locale.ROOT, "warm-up (not timed below): %d tokens in %.1f s, sphere only%n",
                        warmUp.tokens(), warmUp.durationS());
                String name = "job_" + String.join("_", analyses);
                RunRecord run = JobBenchmark.run(spark, corpus, model, dir.resolve("out"), seq, batch * seq, jobPartitions,
                        jobTorchThreads, analyses, heads);
                RunRecord sphere = analyses.equals(List.of("sphere")) ? run
                        : JobBenchmark.run(spark, corpus, model, dir.resolve("out-sphere"), seq, batch * seq, jobPartitions,
                                jobTorchThreads, List.of("sphere"), heads);
                for (RunRecord r : sphere == run ? List.of(run) : List.of(sphere, run)) {
                    System.out.printf(Locale.ROOT, "%-18s %12.1f tokens/s  (%d tokens in %.1f s, %d partitions, %d torch "
                                    + "threads per task, padding %.1f%%) = %.0f%% of forward_nologits%n",
                            r == run ? name : "job_sphere", r.tokensPerS(), r.tokens(), r.durationS(), jobPartitions,
                            jobTorchThreads, 100 * r.paddingFraction(), 100 * r.tokensPerS() / bareForward);
                }
                System.out.printf(Locale.ROOT, "bench job_sphere tokens_per_s=%.1f ratio_to_forward=%.3f%n",
                        sphere.tokensPerS(), sphere.tokensPerS() / bareForward);
                if (sphere != run) {
                    System.out.printf(Locale.ROOT, "bench %s tokens_per_s=%.1f ratio_to_sphere=%.3f promoted_sample_rate=%s%n",
                            name, run.tokensPerS(), run.tokensPerS() / sphere.tokensPerS(), promotedSampleRate);
                }
            } finally {
                spark.stop();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
