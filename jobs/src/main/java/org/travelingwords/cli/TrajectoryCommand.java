package org.travelingwords.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.travelingwords.probes.RunStamp;
import org.travelingwords.trajectory.TrajectoryJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tw trajectory}: the paper's word trajectories of a few phrases, as a table and one figure per phrase. */
@Command(name = "trajectory", mixinStandardHelpOptions = true,
        description = "Trace each token of a phrase through the model: at the embedding, embedding + position and every "
                + "block's output, the logit lens of LNf(x) (top tokens and probabilities), its cosine to the current and "
                + "the next token's embedding, and its coordinates on the top 3 principal axes of LN(E). Writes the "
                + "trajectories table under --out and trajectory-plots/<run_id>/phrase-NN.png, the paper's figure.")
final class TrajectoryCommand implements Callable<Integer> {

    static final String PAPER_PHRASE = "To kill two birds with one stone";

    @Mixin
    SparkOptions spark;

    @Option(names = "--model", defaultValue = "demo",
            description = "demo, a folder (local or Hadoop URI) with config.json + model.safetensors, or a hub name "
                    + "in the Hugging Face cache (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", defaultValue = "tw-out", description = "Output folder, local or Hadoop URI (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--text", description = "A phrase to trace, tokenized with GPT-2's BPE; repeat for several "
            + "(default: \"" + PAPER_PHRASE + "\", the paper's).")
    List<String> texts = new ArrayList<>();

    @Option(names = "--top-k", defaultValue = "5", description = "Logit-lens tokens per point (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--device", defaultValue = "auto",
            description = "auto: the GPU Spark assigned to the task, else the CPU; or cpu, gpu, gpu:N (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--torch-threads", defaultValue = "0",
            description = "libtorch intra-op threads per executor JVM; 0 = spark.task.cpus (default: ${DEFAULT-VALUE}).")
    int torchThreads;

    @Option(names = "--run-date", description = "The run_date partition, yyyy-MM-dd (default: today, UTC).")
    String runDate;

    @Option(names = "--run-id", description = "Run id (default: generated).")
    String runId;

    @Override
    public Integer call() throws Exception {
        RunStamp stamp = RunStamp.of(runDate, runId);
        List<String> phrases = texts.isEmpty() ? List.of(PAPER_PHRASE) : texts;
        TrajectoryJob.Config config = new TrajectoryJob.Config(model, device, torchThreads, phrases, topK, out, stamp);
        try (SparkOptions session = spark) {
            TrajectoryJob.Result result = new TrajectoryJob(session.session(), config, VersionProvider.version()).run();
            System.out.printf(Locale.ROOT, "trajectory %s %s in %.1f s: %d phrases, %d tokens%n", stamp.runId(),
                    result.record().status(), result.record().durationS(), phrases.size(), result.record().tokens());
            for (String plot : result.plots()) {
                System.out.println("figure: " + plot);
            }
            System.out.println("tables: " + Path.of(out).toAbsolutePath() + "  (query them with: tw sql --out " + out + ")");
        }
        return 0;
    }
}
