package org.travelingwords.exec;

import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.StagedRun;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.corpus.Corpus;
import org.travelingwords.corpus.CorpusOptions;
import org.travelingwords.corpus.CorpusReader;
import org.travelingwords.heads.HeadOutputs;
import org.travelingwords.sphere.SphereJob;
import org.travelingwords.sphere.SphereTables;

/**
 * One {@code tw run}: read the corpus, run every enabled analysis in one pass, stage the tables
 * and commit them, and append the run to the {@code runs} ledger, as succeeded or as failed
 * with its error (DESIGN §1, §7). Tables of a failed run never become visible.
 */
public final class CorpusRun {

    private static final Logger LOG = LoggerFactory.getLogger(CorpusRun.class);

    private final SparkSession spark;
    private final RunConfig config;
    private final String runId;
    private final String projectVersion;

    public CorpusRun(SparkSession spark, RunConfig config, String runId, String projectVersion) {
        this.spark = spark;
        this.config = config;
        this.runId = runId;
        this.projectVersion = projectVersion;
    }

    /** Runs to the end; a failure is recorded in the ledger, then rethrown. */
    public RunRecord run() throws IOException {
        Instant started = Instant.now();
        TableStore store = new TableStore(spark, config.out());
        StagedRun staged = store.begin(runId, config.runDate());
        String modelId = config.model();
        Progress progress = new Progress();
        try {
            DriverModel model = DriverModel.describe(config.model());
            modelId = model.modelId();
            RunConfig effective = config.withModelDefaults(model.config());
            LOG.info("run {} ({}): model {}, block size {}, stride {}, analyses {}, torch threads per executor {}",
                    runId, effective.runDate(), modelId, effective.blockSize(), effective.stride(),
                    effective.analyses(), effective.torchThreads() > 0 ? effective.torchThreads() : "spark.task.cpus = "
                            + spark.sparkContext().getConf().get("spark.task.cpus", "1"));
            Corpus corpus = new CorpusReader(spark, new CorpusOptions(effective.corpus(), effective.format(),
                    effective.textField(), effective.idField(), effective.maxDocChars())).read();
            progress.documents = corpus.documents().count();
            progress.rejected = corpus.rejects().count();
            LOG.info("corpus: {} documents, {} rejected, {} files", progress.documents, progress.rejected,
                    corpus.files().size());

            JobCounters counters = JobCounters.register(spark.sparkContext());
            SphereJob.Result pass;
            ProgressReporter[] reporter = new ProgressReporter[1];
            try {
                pass = new SphereJob(spark, effective, counters).run(corpus.documents(), totalTokens ->
                        reporter[0] = new ProgressReporter(spark.sparkContext(), counters.tokens(), progress.documents,
                                totalTokens, 5));
            } finally {
                if (reporter[0] != null) {
                    reporter[0].close();
                }
            }
            progress.windows = pass.windows();
            progress.windowsSkipped = pass.windowsSkipped();
            progress.tokens = pass.tokens();
            progress.padding = counters.paddingFraction();
            progress.modelLoads = counters.modelLoads().value();
            progress.executors = counters.executorList();
            LOG.info("model loads: {} by executors {}, batches {}, padding {}%", progress.modelLoads, progress.executors,
                    counters.batches().value(), String.format("%.1f", 100 * progress.padding));

            if (effective.runs(RunConfig.SPHERE)) {
                SphereTables tables = new SphereTables(spark, runId, modelId);
                staged.stage(TableSchemas.SPHERE_STATS, tables.sphereStats(pass.summaries()));
                staged.stage(TableSchemas.TOKEN_TRAVEL, tables.tokenTravel(pass.travel()));
                staged.stage(TableSchemas.TOKEN_SAMPLES, tables.tokenSamples(pass.samples()));
            }
            if (effective.runs(RunConfig.HEADS)) {
                new HeadOutputs(spark, effective, counters, runId, modelId).stage(staged, pass.heads());
                // The mean view is scored on executors, which may load the model there for the first time.
                progress.modelLoads = counters.modelLoads().value();
                progress.executors = counters.executorList();
            }
            staged.stage(TableSchemas.REJECTS, withRun(corpus.rejects(), modelId));
            staged.stage(TableSchemas.CORPUS_FILES, withRun(corpus.fileSummary(), modelId));
            pass.release();
            corpus.unpersist();

            RunRecord record = record(effective, modelId, progress, started, RunRecord.SUCCEEDED, null);
            staged.finish(record);
            return record;
        } catch (IOException | RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("run {} failed: {}", runId, error);
            staged.finish(record(config, modelId, progress, started, RunRecord.FAILED, error));
            throw e;
        }
    }

    private Dataset<Row> withRun(Dataset<Row> rows, String modelId) {
        return rows.withColumn("run_id", lit(runId)).withColumn("model_id", lit(modelId));
    }

    private RunRecord record(RunConfig effective, String modelId, Progress p, Instant started, String status,
                             String error) {
        Instant finished = Instant.now();
        double seconds = Duration.between(started, finished).toNanos() / 1e9;
        return new RunRecord(runId, effective.runDate(), modelId, effective.corpus(),
                p.documents + p.rejected, p.documents, p.rejected, p.windows, p.windowsSkipped, p.tokens,
                p.padding, seconds, seconds > 0 ? p.tokens / seconds : 0, p.modelLoads, p.executors, status, error,
                effective.toJson(),
                spark.sparkContext().applicationId(), projectVersion, started, finished);
    }

    /** Counts gathered as the run goes, so that a failed run reports how far it got. */
    private static final class Progress {
        long documents;
        long rejected;
        long windows;
        long windowsSkipped;
        long tokens;
        double padding;
        long modelLoads;
        java.util.List<String> executors = java.util.List.of();
    }
}
