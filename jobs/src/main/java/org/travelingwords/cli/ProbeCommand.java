package org.travelingwords.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.travelingwords.probes.ProbeJob;
import org.travelingwords.probes.RunStamp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tw probe}: the paper's static weight probes of a checkpoint (DESIGN §6), as Parquet tables and a text report. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = "Probe a checkpoint's weights as the paper does, no corpus needed: embedding norms and their "
                + "distance to LN(e), the common-noun query-key and value-output probes, the SVD probes of W_QK and "
                + "W_VO, and the bias probes, per (block, head) on Spark. Writes embedding_norms, embedding_ln_distance, "
                + "probe_qk, probe_vo, head_svd and bias_probe under --out, and probe-reports/<run_id>/probe-report.txt.")
final class ProbeCommand implements Callable<Integer> {

    @Mixin
    SparkOptions spark;

    @Option(names = "--model", defaultValue = "demo",
            description = "demo, a folder (local or Hadoop URI) with config.json + model.safetensors, or a hub name "
                    + "in the Hugging Face cache (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", defaultValue = "tw-out", description = "Output folder, local or Hadoop URI (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--blocks", split = ",",
            description = "Blocks to probe, 0-based, comma separated (default: the first, the middle and the last: "
                    + "0,5,11 for GPT-2 small, as in the paper).")
    List<Integer> blocks = new ArrayList<>();

    @Option(names = "--nouns",
            description = "Query nouns, one per line, each encoded without a leading space; nouns that are not one "
                    + "GPT-2 token are skipped (default: conf/common-nouns.txt, the 100 most common English nouns).")
    Path nouns;

    @Option(names = "--top-k", defaultValue = "5", description = "Tokens per list (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--device", defaultValue = "auto",
            description = "auto: the GPU Spark assigned to the task, else the CPU; or cpu, gpu, gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--torch-threads", defaultValue = "0",
            description = "libtorch intra-op threads per executor JVM; 0 = spark.task.cpus (default: ${DEFAULT-VALUE}).")
    int torchThreads;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Spark partitions of the (block, head) tasks; 0 = twice the default parallelism (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--run-date", description = "The run_date partition, yyyy-MM-dd (default: today, UTC).")
    String runDate;

    @Option(names = "--run-id", description = "Run id (default: generated).")
    String runId;

    @Override
    public Integer call() throws Exception {
        RunStamp stamp = RunStamp.of(runDate, runId);
        Path nounsFile = nouns != null ? nouns : defaultNouns();
        ProbeJob.Config config = new ProbeJob.Config(model, device, torchThreads, blocks, nounsFile, topK, partitions,
                out, stamp);
        try (SparkOptions session = spark) {
            ProbeJob.Result result = new ProbeJob(session.session(), config, VersionProvider.version()).run();
            System.out.printf(Locale.ROOT, "probe %s %s in %.1f s: %d nouns (%d skipped)%n", stamp.runId(),
                    result.record().status(), result.record().durationS(), result.nouns().ids().length,
                    result.nouns().skipped().size());
            System.out.println("report: " + result.reportPath());
            System.out.println("tables: " + Path.of(out).toAbsolutePath() + "  (query them with: tw sql --out " + out + ")");
        }
        return 0;
    }

    /** conf/common-nouns.txt beside the installation (TW_HOME, set by bin/tw), else under the working folder. */
    private static Path defaultNouns() {
        String home = System.getenv("TW_HOME");
        return (home != null ? Path.of(home) : Path.of(".")).resolve("conf").resolve("common-nouns.txt").toAbsolutePath();
    }
}
