package org.travelingwords.probes;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.exec.DriverModel;
import org.travelingwords.model.Gpt2Config;

/**
 * One {@code tw probe}: the paper's static weight probes (DESIGN §6) for a checkpoint, spread over
 * (block, head) tasks on Spark, written as the six probe tables and a text report. Like a corpus
 * run it stages, commits and appends a {@code runs} row; a failed run leaves the tables as they were.
 */
public final class ProbeJob {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeJob.class);
    static final String REPORT_FOLDER = "probe-reports";
    static final String REPORT_FILE = "probe-report.txt";

    /**
     * @param blocks     the blocks to probe; empty: 0, ⌊(L−1)/2⌋ and L−1 (the paper's 0, 5, 11 for GPT-2 small)
     * @param partitions Spark partitions of the tasks; 0: twice the default parallelism
     */
    public record Config(String model, String device, int torchThreads, List<Integer> blocks, Path nounsFile, int topK,
                         int partitions, String out, RunStamp stamp) {}

    /** The ledger row and where the report went. */
    public record Result(RunRecord record, String reportPath, NounList nouns) {}

    private final SparkSession spark;
    private final Config config;
    private final String projectVersion;

    public ProbeJob(SparkSession spark, Config config, String projectVersion) {
        this.spark = spark;
        this.config = config;
        this.projectVersion = projectVersion;
    }

    public Result run() throws IOException {
        StaticRun run = new StaticRun(spark, "probe", config.out(), config.stamp(), projectVersion);
        String modelId = config.model();
        JsonObject settings = new JsonObject();
        try {
            if (config.topK() < 1) {
                throw new IllegalArgumentException("--top-k must be at least 1, not " + config.topK());
            }
            DriverModel model = DriverModel.describe(config.model());
            modelId = model.modelId();
            Gpt2Config c = model.config();
            List<Integer> blocks = blocks(c);
            NounList nouns = NounList.read(config.nounsFile(), c.vocabSize());
            settings = settings(blocks, nouns);
            List<ProbeTask> tasks = ProbeTask.plan(blocks, c.nHead());
            int partitions = config.partitions() > 0 ? config.partitions()
                    : Math.min(tasks.size(), 2 * spark.sparkContext().defaultParallelism());
            LOG.info("probe {}: model {}, blocks {}, {} heads, {} nouns ({} skipped), top {}, {} tasks in {} partitions",
                    config.stamp().runId(), modelId, blocks, c.nHead(), nouns.ids().length, nouns.skipped().size(),
                    config.topK(), tasks.size(), partitions);

            ProbeSettings probe = new ProbeSettings(config.model(), config.device(), config.torchThreads(), nouns.ids(),
                    config.topK());
            List<ProbeOutput> outputs = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(tasks, partitions)
                    .mapPartitions(new ProbePartition(probe, run.counters()))
                    .collect();
            ProbeResults results = ProbeResults.merge(outputs);
            LOG.info("probes computed in {} s; writing the tables", seconds(run.started()));

            for (Map.Entry<String, Dataset<Row>> table
                    : new ProbeTables(spark, config.stamp().runId(), modelId).all(results).entrySet()) {
                run.stage(table.getKey(), table.getValue());
            }
            RunRecord record = run.succeed(modelId, 0, 0, new Gson().toJson(settings));
            String report = ProbeReport.render(new ProbeReport.Header(modelId, config.stamp().runId(),
                    config.stamp().runDate(), blocks, c.nHead(), config.topK(), nouns), results);
            String reportPath = OutFiles.write(spark, run.root(), REPORT_FOLDER, config.stamp().runId(), REPORT_FILE,
                    report.getBytes(StandardCharsets.UTF_8));
            return new Result(record, reportPath, nouns);
        } catch (IOException | RuntimeException e) {
            run.fail(modelId, 0, 0, new Gson().toJson(settings), e);
            throw e;
        }
    }

    private static String seconds(Instant since) {
        return String.format(Locale.ROOT, "%.1f", Duration.between(since, Instant.now()).toMillis() / 1e3);
    }

    /** The blocks asked for, checked against the model; by default the first, the middle and the last. */
    private List<Integer> blocks(Gpt2Config c) {
        int layers = c.nLayer();
        if (config.blocks().isEmpty()) {
            return List.copyOf(new TreeSet<>(List.of(0, (layers - 1) / 2, layers - 1)));
        }
        for (int block : config.blocks()) {
            if (block < 0 || block >= layers) {
                throw new IllegalArgumentException("--blocks: block " + block + " is outside the model's " + layers
                        + " blocks (0-based)");
            }
        }
        return List.copyOf(new TreeSet<>(config.blocks()));
    }

    /** The run's configuration for {@code runs.config_json}. */
    private JsonObject settings(List<Integer> blocks, NounList nouns) {
        Gson gson = new Gson();
        JsonObject json = new JsonObject();
        json.addProperty("command", "probe");
        json.addProperty("model", config.model());
        json.addProperty("device", config.device());
        json.add("blocks", gson.toJsonTree(blocks));
        json.addProperty("top_k", config.topK());
        json.addProperty("nouns_file", config.nounsFile().toAbsolutePath().toString());
        json.add("nouns", gson.toJsonTree(nouns.words()));
        json.add("skipped_nouns", gson.toJsonTree(nouns.skipped()));
        return json;
    }
}
