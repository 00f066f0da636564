package org.travelingwords.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.travelingwords.catalog.OutFolderLock;
import org.travelingwords.catalog.RunStamp;
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
    JobOptions job;

    @Mixin
    ExecutorDeviceOptions executors;

    @Option(names = "--text", description = "A phrase to trace, tokenized with GPT-2's BPE; repeat for several "
            + "(default: \"" + PAPER_PHRASE + "\", the paper's).")
    List<String> texts = new ArrayList<>();

    @Option(names = "--top-k", defaultValue = "5", description = "Logit-lens tokens per point (default: ${DEFAULT-VALUE}).")
    int topK;

    @Override
    public Integer call() throws Exception {
        RunStamp stamp = job.stamp();
        List<String> phrases = texts.isEmpty() ? List.of(PAPER_PHRASE) : texts;
        TrajectoryJob.Config config = new TrajectoryJob.Config(job.model, executors.device(), executors.torchThreads,
                phrases, topK, job.out, stamp);
        try (SparkOptions session = job.spark;
             OutFolderLock lock = job.checkModelAndLockOut(session, stamp, "trajectory")) {
            TrajectoryJob.Result result = new TrajectoryJob(session.session(), config, VersionProvider.version()).run();
            System.out.printf(Locale.ROOT, "trajectory %s %s in %.1f s: %d phrases, %d tokens%n", stamp.runId(),
                    result.record().status(), result.record().durationS(), phrases.size(), result.record().tokens());
            for (String plot : result.plots()) {
                System.out.println("figure: " + plot);
            }
            System.out.println(job.tablesLine());
        }
        return 0;
    }
}
