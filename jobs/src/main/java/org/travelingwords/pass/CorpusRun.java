package org.travelingwords.pass;

import static org.apache.spark.sql.functions.lit;

import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.catalog.RunLifecycle;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.corpus.Corpus;
import org.travelingwords.corpus.CorpusReader;
import org.travelingwords.exec.DriverModel;

/**
 * One {@code tw run} (DESIGN §1, §7): read the corpus, run every analysis in one pass, stage each
 * analysis' tables and the corpus' own (rejects, corpus_files), through the {@link RunLifecycle}.
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

    /** Describes the model inside the run, then runs to the end; a failure is recorded in the ledger, then rethrown. */
    public RunRecord run() throws Exception {
        return run(() -> DriverModel.describe(config.model().model()));
    }

    /**
     * Runs to the end with the model a preflight has described already: describing hashes the whole weights
     * file (DESIGN §7 model_id), seconds for GPT-2's larger checkpoints, so a command does it once.
     */
    public RunRecord run(DriverModel described) throws Exception {
        return run(() -> described);
    }

    private RunRecord run(Callable<DriverModel> describe) throws Exception {
        RunLifecycle lifecycle = new RunLifecycle(spark, config.out(), new RunStamp(runId, config.runDate()), "run",
                projectVersion);
        return lifecycle.run((tables, record) -> {
            record.model(config.model().model()).config(config.toJson());
            DriverModel model = describe.call();
            record.model(model.modelId());
            RunConfig effective = config.withModelDefaults(model.config());
            record.config(effective.toJson());
            LOG.info("run {} ({}): model {}, {}, analyses {}, torch threads per executor {}", runId,
                    effective.runDate(), model.modelId(), effective.windows(), effective.names(),
                    effective.model().torchThreads() > 0 ? effective.model().torchThreads()
                            : "spark.task.cpus = " + spark.sparkContext().getConf().get("spark.task.cpus", "1"));
            Read read = readAndPass(spark, effective, tables, record);
            Corpus corpus = read.corpus();
            CorpusPass.Result pass = read.pass();

            ScopedTables scoped = new ScopedTables(tables);
            AnalysisOutput output = new AnalysisOutput(spark, runId, model.modelId(), effective.model(), scoped);
            for (CorpusAnalysis analysis : effective.analyses()) {
                analysis.writeTables(output, pass.partial(analysis.name()), pass.rows(analysis.name()));
            }
            scoped.stage(TableSchemas.REJECTS, withRun(corpus.rejects(), runId, model.modelId()));
            scoped.stage(TableSchemas.CORPUS_FILES, withRun(corpus.fileSummary(), runId, model.modelId())
                    .withColumn("modified_at", lit(null).cast("timestamp"))
                    .withColumn("fingerprint", lit(null).cast("string"))
                    .withColumn("lineage", lit(null).cast("string")));
            scoped.commit();
            pass.release();
            corpus.unpersist();
            return null;
        }).record();
    }

    /** A corpus read and its one pass, done. */
    public record Read(Corpus corpus, CorpusPass.Result pass) {}

    /**
     * Reads {@code effective}'s corpus and runs the analyses' pass over it, recording the documents,
     * windows, tokens and model loads in {@code record}; fails when the model ran other tokens than planned.
     */
    public static Read readAndPass(SparkSession spark, RunConfig effective, RunLifecycle.RunTables tables,
                                   RunRecord.Builder record) {
        Corpus corpus = new CorpusReader(spark, effective.corpus()).read();
        long documents = corpus.documents().count();
        long rejected = corpus.rejects().count();
        record.corpus(effective.corpus().paths(), documents, rejected);
        LOG.info("corpus: {} documents, {} rejected, {} files", documents, rejected, corpus.files().size());

        CorpusPass.Result pass = runPass(spark, effective, corpus, documents);
        PartitionResult merged = pass.merged();
        tables.served(merged.loads());
        BatchCounts counts = merged.counts();
        record.windows(pass.windows(), pass.windowsSkipped(), counts.paddingFraction()).tokens(pass.tokens());
        LOG.info("model loads: {} by executors {}, batches {}, padding {}%", merged.loads().count(),
                merged.loads().list(), counts.batches(), String.format("%.1f", 100 * counts.paddingFraction()));
        if (counts.tokens() != pass.tokens()) {
            throw new IllegalStateException("the model stage ran " + counts.tokens() + " tokens but the plan has "
                    + pass.tokens() + ": a partition was lost or counted twice; nothing is written");
        }
        return new Read(corpus, pass);
    }

    /** The one pass over the corpus, with progress on the driver while the model stage runs. */
    private static CorpusPass.Result runPass(SparkSession spark, RunConfig effective, Corpus corpus, long documents) {
        ProgressReporter[] reporter = new ProgressReporter[1];
        LongAccumulator progressTokens = spark.sparkContext().longAccumulator("tw.progress_tokens");
        try {
            return new CorpusPass(spark, effective, progressTokens).run(corpus.documents(), totalTokens ->
                    reporter[0] = new ProgressReporter(spark.sparkContext(), progressTokens, documents, totalTokens, 5));
        } finally {
            if (reporter[0] != null) {
                reporter[0].close();
            }
        }
    }

    /** {@code rows} with the run id and model id every table row carries. */
    public static Dataset<Row> withRun(Dataset<Row> rows, String runId, String modelId) {
        return rows.withColumn("run_id", lit(runId)).withColumn("model_id", lit(modelId));
    }
}
