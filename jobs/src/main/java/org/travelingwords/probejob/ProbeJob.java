package org.travelingwords.probejob;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
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
import org.travelingwords.catalog.OutFiles;
import org.travelingwords.catalog.RunLifecycle;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.exec.DriverModel;
import org.travelingwords.exec.ModelLoads;
import org.travelingwords.exec.Served;
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

    public Result run() throws Exception {
        RunLifecycle.Outcome<Report> outcome = new RunLifecycle(spark, config.out(), config.stamp(), "probe",
                projectVersion).run((tables, record) -> {
            record.model(config.model());
            if (config.topK() < 1) {
                throw new IllegalArgumentException("--top-k must be at least 1, not " + config.topK());
            }
            Instant started = Instant.now();
            DriverModel model = DriverModel.describe(config.model());
            String modelId = model.modelId();
            record.model(modelId);
            Gpt2Config c = model.config();
            List<Integer> blocks = blocks(c);
            NounList nouns = NounList.read(config.nounsFile(), c.vocabSize());
            record.config(new Gson().toJson(settings(blocks, nouns)));
            List<ProbeTask> tasks = ProbeTask.plan(blocks, c.nHead());
            int partitions = config.partitions() > 0 ? config.partitions()
                    : Math.min(tasks.size(), 2 * spark.sparkContext().defaultParallelism());
            LOG.info("probe {}: model {}, blocks {}, {} heads, {} nouns ({} skipped), top {}, {} tasks in {} partitions",
                    config.stamp().runId(), modelId, blocks, c.nHead(), nouns.ids().length, nouns.skipped().size(),
                    config.topK(), tasks.size(), partitions);

            ProbeSettings probe = new ProbeSettings(config.model(), config.device(), config.torchThreads(), nouns.ids(),
                    config.topK());
            List<Served<ProbeOutput>> outputs = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(tasks, partitions)
                    .mapPartitions(new ProbePartition(probe))
                    .collect();
            tables.served(ModelLoads.of(outputs));
            ProbeResults results = ProbeResults.merge(outputs.stream().map(Served::value).toList());
            LOG.info("probes computed in {} s; writing the tables", seconds(started));

            for (Map.Entry<String, Dataset<Row>> table
                    : new ProbeTables(spark, config.stamp().runId(), modelId).all(results).entrySet()) {
                tables.stage(table.getKey(), table.getValue());
            }
            String report = ProbeReport.render(new ProbeReport.Header(modelId, config.stamp().runId(),
                    config.stamp().runDate(), blocks, c.nHead(), config.topK(), nouns), results);
            return new Report(tables.root(), report, nouns);
        });
        Report report = outcome.value();
        String path = OutFiles.write(spark, report.root(), REPORT_FOLDER, config.stamp().runId(), REPORT_FILE,
                report.text().getBytes(StandardCharsets.UTF_8));
        return new Result(outcome.record(), path, report.nouns());
    }

    /** The text report, written beside the tables once they are committed. */
    private record Report(String root, String text, NounList nouns) {}

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
