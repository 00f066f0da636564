package org.travelingwords.trajectory;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.exec.DriverModel;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.probes.OutFiles;
import org.travelingwords.probes.StaticRun;
import org.travelingwords.probes.VocabularyFrame;
import org.travelingwords.text.Gpt2Tokenizer;

/**
 * One {@code tw trajectory}: the paper's word trajectories for a few phrases. The vocabulary frame
 * (PCA of LN(E)) is computed once on an executor, the phrases are traced in parallel, the points
 * become the {@code trajectories} table (staged and committed with a {@code runs} row) and one PNG
 * per phrase under {@code <out>/trajectory-plots/<run_id>/}.
 */
public final class TrajectoryJob {

    /** The folder of the figures under the out folder, one subfolder per run; the report reads them from there. */
    public static final String PLOT_FOLDER = "trajectory-plots";

    public record Config(String model, String device, int torchThreads, List<String> texts, int topK, String out,
                         RunStamp stamp) {}

    /** The ledger row and the figures written, one per phrase in order. */
    public record Result(RunRecord record, List<String> plots) {}

    private final SparkSession spark;
    private final Config config;
    private final String projectVersion;

    public TrajectoryJob(SparkSession spark, Config config, String projectVersion) {
        this.spark = spark;
        this.config = config;
        this.projectVersion = projectVersion;
    }

    public Result run() throws IOException {
        StaticRun run = new StaticRun(spark, "trajectory", config.out(), config.stamp(), projectVersion);
        String modelId = config.model();
        List<Phrase> phrases = List.of();
        try {
            if (config.topK() < 1) {
                throw new IllegalArgumentException("--top-k must be at least 1, not " + config.topK());
            }
            DriverModel model = DriverModel.describe(config.model());
            modelId = model.modelId();
            phrases = phrases(model.config());
            TrajectorySettings settings = new TrajectorySettings(config.model(), config.device(), config.torchThreads(),
                    config.topK());
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            VocabularyFrame frame = jsc.parallelize(List.of(0), 1).map(new FrameComputation(settings, run.counters()))
                    .first();
            int partitions = Math.min(phrases.size(), spark.sparkContext().defaultParallelism());
            List<PhraseTrace> traces = new ArrayList<>(jsc.parallelize(phrases, partitions)
                    .mapPartitions(new TrajectoryPartition(settings, frame, run.counters())).collect());
            traces.sort(Comparator.comparingInt(t -> t.phrase().index()));

            run.stage(TableSchemas.TRAJECTORIES, TrajectoryTables.rows(spark, config.stamp().runId(), modelId, traces));
            RunRecord record = run.succeed(modelId, phrases.size(), tokens(phrases), settings());
            List<String> plots = new ArrayList<>();
            for (PhraseTrace trace : traces) {
                plots.add(OutFiles.write(spark, run.root(), PLOT_FOLDER, config.stamp().runId(),
                        plotFile(trace.phrase().index()), TrajectoryPlot.png(trace, frame, modelId)));
            }
            return new Result(record, plots);
        } catch (IOException | RuntimeException e) {
            run.fail(modelId, phrases.size(), tokens(phrases), settings(), e);
            throw e;
        }
    }

    /** The file name of phrase {@code index}'s figure in its run's plot folder. */
    public static String plotFile(int index) {
        return String.format(Locale.ROOT, "phrase-%02d.png", index);
    }

    /** The texts as GPT-2 tokens, checked against the model's vocabulary and positions. */
    private List<Phrase> phrases(Gpt2Config c) {
        if (config.texts().isEmpty()) {
            throw new IllegalArgumentException("give at least one --text");
        }
        List<Phrase> phrases = new ArrayList<>();
        for (int i = 0; i < config.texts().size(); i++) {
            String text = config.texts().get(i);
            int[] tokens = Gpt2Tokenizer.get().encode(text);
            if (tokens.length == 0 || tokens.length > c.nPositions()) {
                throw new IllegalArgumentException("--text '" + text + "' has " + tokens.length + " tokens; the model takes 1 to "
                        + c.nPositions());
            }
            for (int token : tokens) {
                if (token >= c.vocabSize()) {
                    throw new IllegalArgumentException("--text '" + text + "': token " + token
                            + " is outside the model's vocabulary of " + c.vocabSize());
                }
            }
            phrases.add(new Phrase(i, text, tokens));
        }
        return phrases;
    }

    private static long tokens(List<Phrase> phrases) {
        return phrases.stream().mapToLong(p -> p.tokens().length).sum();
    }

    private String settings() {
        Gson gson = new Gson();
        JsonObject json = new JsonObject();
        json.addProperty("command", "trajectory");
        json.addProperty("model", config.model());
        json.addProperty("device", config.device());
        json.add("texts", gson.toJsonTree(config.texts()));
        json.addProperty("top_k", config.topK());
        return gson.toJson(json);
    }
}
