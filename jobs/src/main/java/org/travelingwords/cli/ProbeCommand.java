package org.travelingwords.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.travelingwords.catalog.OutFolderLock;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.probejob.ProbeJob;
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
    JobOptions job;

    @Mixin
    ExecutorDeviceOptions executors;

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

    @Option(names = "--partitions", defaultValue = "0",
            description = "Spark partitions of the (block, head) tasks; 0 = twice the default parallelism (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        RunStamp stamp = job.stamp();
        Path nounsFile = nouns != null ? nouns : ConfFiles.of("common-nouns.txt");
        ProbeJob.Config config = new ProbeJob.Config(job.model, executors.device(), executors.torchThreads, blocks,
                nounsFile, topK, partitions, job.out, stamp);
        try (SparkOptions session = job.spark; OutFolderLock lock = job.checkModelAndLockOut(session, stamp, "probe")) {
            ProbeJob.Result result = new ProbeJob(session.session(), config, VersionProvider.version()).run();
            System.out.printf(Locale.ROOT, "probe %s %s in %.1f s: %d nouns (%d skipped)%n", stamp.runId(),
                    result.record().status(), result.record().durationS(), result.nouns().ids().length,
                    result.nouns().skipped().size());
            System.out.println("report: " + result.reportPath());
            System.out.println(job.tablesLine());
        }
        return 0;
    }
}
