package org.travelingwords.cli;

import ai.djl.Device;
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
import org.travelingwords.bench.GemmPaths;
import org.travelingwords.bench.JobBenchmark;
import org.travelingwords.bench.ScaleOutBenchmark;
import org.travelingwords.bench.SteadyStateFit;
import org.travelingwords.catalog.DeltaSessions;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.heads.HeadsOptions;
import org.travelingwords.model.DeviceSpec;
import org.travelingwords.model.Gemm;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.Precision;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.model.TorchThreads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tw bench}: throughput of the engine on a GPT-2-124M-shaped random model. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure tokens/s of the forward (with logits, without, with the sphere hooks) and matmul GFLOP/s, "
                + "on a random model of GPT-2-124M's shape built in memory, on the GEMM path this JVM chose; on the CPU "
                + "also each GEMM path's one-thread GFLOP/s and bare forward (README \"GEMM\"); with --job, the whole tw "
                + "run too, its steady-state tokens/s and fixed seconds (--analyses sphere,heads: next to sphere-only); "
                + "with --cluster, the sphere job's speed-up from one to two single-core standalone Workers. Prints a "
                + "table, then one "
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

    @Option(names = "--precision", defaultValue = "fp32",
            description = "fp32, or fp16 on a GPU (on the CPU the model runs in fp32, as tw run's) (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--layers", defaultValue = "12", description = "Model shape: n_layer (default: ${DEFAULT-VALUE}, GPT-2 124M).")
    int layers;

    @Option(names = "--heads", defaultValue = "12", description = "Model shape: n_head (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--d-model", defaultValue = "768", description = "Model shape: n_embd (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Option(names = "--job", description = "Also run the whole corpus job in local Spark on this model shape over generated "
            + "corpora of --job-tokens and twice as many tokens, and fit its steady-state tokens/s and fixed seconds.")
    boolean job;

    @Option(names = "--cluster", description = "Also run the sphere job on a standalone cluster of one, then two single-core "
            + "Workers on this machine, over the same --job-tokens corpus, and print the speed-up. Needs the build's "
            + "spark-classpath.txt and application jar (see --build-dir).")
    boolean cluster;

    @Option(names = "--build-dir", defaultValue = "${env:TW_HOME:-.}/jobs/target",
            description = "--cluster: the jobs module's build folder, with spark-classpath.txt and traveling-words-app.jar "
                    + "(`./mvnw -DskipTests package` writes both) (default: ${DEFAULT-VALUE}).")
    Path buildDir;

    @Option(names = "--job-tokens", defaultValue = "100000",
            description = "Corpus size for --job and --cluster (each timed again at twice this), in tokens (default: ${DEFAULT-VALUE}).")
    long jobTokens;

    @Option(names = "--job-repeats", defaultValue = "2",
            description = "--job and --cluster: timed runs per corpus size; the fastest of each is fitted (default: ${DEFAULT-VALUE}).")
    int jobRepeats;

    @Option(names = "--job-partitions", defaultValue = "2", description = "Model-stage partitions for --job and --cluster (default: ${DEFAULT-VALUE}).")
    int jobPartitions;

    @Option(names = "--job-torch-threads", defaultValue = "1", description = "libtorch threads for --job (default: ${DEFAULT-VALUE}; 0 = spark.task.cpus).")
    int jobTorchThreads;

    @Option(names = "--analyses", split = ",", defaultValue = "sphere",
            description = "Analyses of the --job run; with more than sphere, a sphere-only run is timed too, for comparison "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> analyses;

    @Option(names = "--promoted-sample-rate", defaultValue = HeadsOptions.DEFAULT_PROMOTED_SAMPLE_RATE,
            description = "heads: the promoted view's token sample of the --job run, as in tw run (default: ${DEFAULT-VALUE}).")
    double promotedSampleRate;

    @Override
    public Integer call() throws Exception {
        if (cluster) {
            ScaleOutBenchmark.requireBuild(buildDir.toAbsolutePath());
        }
        int usedThreads = TorchThreads.set(threads);
        Device dev = DeviceSpec.parse(device);
        Gpt2Config config = Gpt2Config.of(layers, heads, dModel, 50257, Math.max(1024, seq));
        Precision modelPrecision = Precision.parse(precision).on(dev);
        System.out.printf(Locale.ROOT, "model: L%d H%d D%d V%d (random), batch %d x %d, %s, %s, %d torch threads, %d cores%n",
                layers, heads, dModel, config.vocabSize(), batch, seq, dev, modelPrecision.name().toLowerCase(Locale.ROOT),
                usedThreads, Runtime.getRuntime().availableProcessors());
        Gpt2Weights weights = RandomGpt2.generate(config, 1, 0.02);
        try (HookedGpt2 model = HookedGpt2.load(weights, dev, modelPrecision)) {
            List<Gemm> paths = dev.isGpu() ? List.of(model.gemm()) : GemmPaths.available(System.out);
            GemmPaths.print(System.out, paths, model.gemm());
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
            String gemm = model.gemm().name();
            for (ForwardBenchmark.Figure f : figures) {
                printFigure(f, gemm);
            }
            printMatmul(gemm, gflops, usedThreads);
            if (!dev.isGpu()) {
                printTasks(bench.concurrentForward(usedThreads, gflops), gemm, usedThreads);
            }
            for (Gemm other : paths) {
                if (!other.name().equals(gemm)) {
                    bareForward(weights, other, usedThreads);
                }
            }
            if (job || cluster) {
                runJobs(config, figures.get(1).tokensPerSecond());
            }
        }
        return 0;
    }

    /**
     * The bare forward on {@code gemm}, the path this JVM did not choose, for comparison: as concurrent
     * one-thread tasks, and on one thread also as one forward with the matmul (with more threads that
     * forward would multiply on libtorch whatever the path).
     */
    private void bareForward(Gpt2Weights weights, Gemm gemm, int usedThreads) {
        try (HookedGpt2 model = HookedGpt2.loadOnCpu(weights, gemm)) {
            ForwardBenchmark bench = new ForwardBenchmark(model, batch, seq, runs);
            double gflops = bench.matmulGflops();
            if (usedThreads == 1) {
                printFigure(bench.forward("forward_nologits", HookPlan.fullForward(layers, false), (n, v) -> { }, false, gflops),
                        gemm.name());
                printMatmul(gemm.name(), gflops, usedThreads);
            }
            printTasks(bench.concurrentForward(usedThreads, gflops), gemm.name(), usedThreads);
        }
    }

    private static void printTasks(ForwardBenchmark.Figure f, String gemm, int tasks) {
        System.out.printf(Locale.ROOT, "bench %s gemm=%s tasks=%d tokens_per_s=%.1f mfu=%.3f%n", f.name(), gemm, tasks,
                f.tokensPerSecond(), f.mfu());
    }

    private static void printFigure(ForwardBenchmark.Figure f, String gemm) {
        System.out.printf(Locale.ROOT, "bench %s gemm=%s tokens_per_s=%.1f mfu=%.3f%n", f.name(), gemm, f.tokensPerSecond(), f.mfu());
    }

    private static void printMatmul(String gemm, double gflops, int threads) {
        System.out.printf(Locale.ROOT, "bench matmul gemm=%s gflops=%.1f threads=%d%n", gemm, gflops, threads);
    }

    /** The corpus jobs of --job and --cluster on a random model of this shape, in a folder deleted afterwards. */
    private void runJobs(Gpt2Config config, double bareForward) throws Exception {
        Path dir = Files.createTempDirectory("tw-bench-job");
        try {
            HeadsOptions heads = new HeadsOptions(HeadsOptions.DEFAULTS.qkTop(), HeadsOptions.DEFAULTS.subjectTop(),
                    promotedSampleRate, HeadsOptions.DEFAULTS.maxClusters(), HeadsOptions.DEFAULTS.clusters());
            JobBenchmark bench = new JobBenchmark(JobBenchmark.writeModel(dir.resolve("model"), config), seq, batch * seq,
                    jobPartitions, jobTorchThreads, heads);
            int wordsPerDocument = 3 * seq / 2;
            Path corpus = JobBenchmark.writeCorpus(dir.resolve("corpus"), jobTokens, wordsPerDocument);
            Path larger = JobBenchmark.writeCorpus(dir.resolve("corpus-2x"), 2 * jobTokens, wordsPerDocument);
            if (job) {
                runJob(bench, dir, corpus, larger, bareForward);
            }
            if (cluster) {
                // two batches per partition: every executor gets work, so every executor loads the model
                Path warmUpCorpus = JobBenchmark.writeCorpus(dir.resolve("warm-up"), 2L * batch * seq * jobPartitions,
                        wordsPerDocument);
                runScaleOut(new ScaleOutBenchmark(buildDir.toAbsolutePath(), bench), dir, warmUpCorpus, corpus, larger);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * The whole job at two corpus sizes, per analysis set (sphere-only first when --analyses has more):
     * the slope of seconds against tokens is the steady-state rate, the intercept the fixed cost of a run.
     * A run of every analysis over the smaller corpus goes first and is not timed: it pays Spark's start,
     * the model load and the JIT's work on the whole path, which would otherwise slow the first timed run.
     */
    private void runJob(JobBenchmark bench, Path dir, Path smaller, Path larger, double bareForward) throws Exception {
        SparkSession spark = DeltaSessions.configure(SparkSession.builder())
                .master("local[*]").appName("tw-bench").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            RunRecord warmUp = bench.run(spark, smaller, dir.resolve("out-warm-up"), analyses);
            System.out.printf(Locale.ROOT, "warm-up (not timed below): %d tokens in %.1f s, %s%n",
                    warmUp.tokens(), warmUp.durationS(), jobName(analyses));
            List<List<String>> sets = analyses.equals(List.of("sphere")) ? List.of(analyses) : List.of(List.of("sphere"), analyses);
            List<JobBenchmark.TwoSizes> timed = new ArrayList<>();
            for (List<String> set : sets) {
                JobBenchmark.TwoSizes t = bench.twoSizes(spark, smaller, larger, dir.resolve("out-" + jobName(set)), set,
                        jobRepeats);
                timed.add(t);
                System.out.printf(Locale.ROOT, "%-18s %12.1f tokens/s steady + %.1f s fixed  (%d tokens in %.1f s, %d in "
                                + "%.1f s; %d partitions, %d torch threads per task, padding %.1f%%) = %.0f%% of "
                                + "forward_nologits%n", jobName(set), t.fit().tokensPerS(), t.fit().fixedS(),
                        t.smaller().tokens(), t.smaller().durationS(), t.larger().tokens(), t.larger().durationS(),
                        bench.partitions(), bench.torchThreads(), 100 * t.larger().paddingFraction(),
                        100 * t.fit().tokensPerS() / bareForward);
            }
            SteadyStateFit sphere = timed.get(0).fit();
            System.out.printf(Locale.ROOT, "bench job_sphere tokens_per_s=%.1f fixed_s=%.2f%n", sphere.tokensPerS(),
                    sphere.fixedS());
            if (timed.size() > 1) {
                SteadyStateFit all = timed.get(1).fit();
                System.out.printf(Locale.ROOT, "bench %s tokens_per_s=%.1f fixed_s=%.2f ratio_to_sphere=%.3f%n",
                        jobName(analyses), all.tokensPerS(), all.fixedS(), all.tokensPerS() / sphere.tokensPerS());
            }
        } finally {
            spark.stop();
        }
    }

    /**
     * The sphere job over the same two corpora on one, then two single-core Workers; the speed-up is the
     * ratio of the steady-state rates, and the larger corpus' end-to-end ratio is printed beside it.
     */
    private void runScaleOut(ScaleOutBenchmark bench, Path dir, Path warmUpCorpus, Path smaller, Path larger)
            throws Exception {
        JobBenchmark.TwoSizes one = bench.run(1, warmUpCorpus, smaller, larger, jobRepeats, dir.resolve("out-cluster-1"));
        JobBenchmark.TwoSizes two = bench.run(2, warmUpCorpus, smaller, larger, jobRepeats, dir.resolve("out-cluster-2"));
        for (JobBenchmark.TwoSizes t : List.of(one, two)) {
            System.out.printf(Locale.ROOT, "cluster_sphere     %12.1f tokens/s steady + %.1f s fixed  (%d tokens in %.1f s, "
                            + "%d in %.1f s; %d worker%s)%n", t.fit().tokensPerS(), t.fit().fixedS(), t.smaller().tokens(),
                    t.smaller().durationS(), t.larger().tokens(), t.larger().durationS(), t == one ? 1 : 2,
                    t == one ? "" : "s");
        }
        for (JobBenchmark.TwoSizes t : List.of(one, two)) {
            System.out.printf(Locale.ROOT, "bench cluster_sphere workers=%d tokens_per_s=%.1f fixed_s=%.2f%n",
                    t == one ? 1 : 2, t.fit().tokensPerS(), t.fit().fixedS());
        }
        System.out.printf(Locale.ROOT, "bench scale_out workers=2 speedup=%.3f end_to_end_speedup=%.3f%n",
                two.fit().tokensPerS() / one.fit().tokensPerS(), one.larger().durationS() / two.larger().durationS());
    }

    private static String jobName(List<String> analyses) {
        return "job_" + String.join("_", analyses);
    }
}
