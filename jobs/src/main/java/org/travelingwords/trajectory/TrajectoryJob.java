package org.travelingwords.trajectory;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.OutFiles;
import org.travelingwords.catalog.RunLifecycle;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.exec.DriverModel;
import org.travelingwords.exec.ModelLoads;
import org.travelingwords.exec.Served;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.probes.VocabularyFrame;
import org.travelingwords.text.Gpt2Tokenizer;

/**
 * One {@code tw trajectory}: the paper's word trajectories for a few phrases. The vocabulary frame
 * (PCA of LN(E)) is computed once on an executor, the phrases are traced in parallel, the points
 * become the {@code trajectories} table (staged and committed with a {@code runs} row) and one PNG
 * per phrase under {@code <out>/trajectory-plots/<run_id>/}.
 */
public final class TrajectoryJob {

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

    public Result run() throws Exception {
        RunLifecycle.Outcome<Traced> outcome = new RunLifecycle(spark, config.out(), config.stamp(), "trajectory",
                projectVersion).run((tables, record) -> {
            record.model(config.model()).config(settings());
            if (config.topK() < 1) {
                throw new IllegalArgumentException("--top-k must be at least 1, not " + config.topK());
            }
            DriverModel model = DriverModel.describe(config.model());
            String modelId = model.modelId();
            record.model(modelId);
            List<Phrase> phrases = phrases(model.config());
            record.corpus(List.of(), phrases.size(), 0).tokens(tokens(phrases));
            TrajectorySettings settings = new TrajectorySettings(config.model(), config.device(), config.torchThreads(),
                    config.topK());
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Served<VocabularyFrame> computed = jsc.parallelize(List.of(0), 1).map(new FrameComputation(settings)).first();
            tables.served(computed.loads());
            VocabularyFrame frame = computed.value();
            int partitions = Math.min(phrases.size(), spark.sparkContext().defaultParallelism());
            List<Served<PhraseTrace>> served = jsc.parallelize(phrases, partitions)
                    .mapPartitions(new TrajectoryPartition(settings, frame)).collect();
            tables.served(ModelLoads.of(served));
            List<PhraseTrace> traces = new ArrayList<>(served.stream().map(Served::value).toList());
            traces.sort(Comparator.comparingInt(t -> t.phrase().index()));
            tables.stage(TableSchemas.TRAJECTORIES, TrajectoryTables.rows(spark, config.stamp().runId(), modelId, traces));
            return new Traced(tables.root(), modelId, frame, traces);
        });
        Traced traced = outcome.value();
        List<String> plots = new ArrayList<>();
        for (PhraseTrace trace : traced.traces()) {
            plots.add(OutFiles.write(spark, traced.root(), OutFiles.TRAJECTORY_PLOTS, config.stamp().runId(),
                    OutFiles.trajectoryPlot(trace.phrase().index()), TrajectoryPlot.png(trace, traced.frame(), traced.modelId())));
        }
        return new Result(outcome.record(), plots);
    }

    /** The traces, drawn beside the tables once they are committed. */
    private record Traced(String root, String modelId, VocabularyFrame frame, List<PhraseTrace> traces) {}

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
