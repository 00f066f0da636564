package org.travelingwords.nightly;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.catalog.RunLifecycle;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.corpus.CorpusReader;
import org.travelingwords.exec.DriverModel;
import org.travelingwords.pass.AnalysisOutput;
import org.travelingwords.pass.CorpusAnalysis;
import org.travelingwords.pass.CorpusRun;
import org.travelingwords.pass.RunConfig;
import org.travelingwords.pass.ScopedTables;

/**
 * One {@code tw nightly} (DESIGN §7): a {@link CorpusRun} over the files its lineage has not read,
 * whose aggregates are written twice — {@code scope = run} from this night's partials, and
 * {@code scope = cumulative} from the previous night's cumulative partials merged with them — with the
 * cumulative partials kept in {@code nightly_state} for the next night and the files in {@code corpus_files}.
 */
public final class NightlyRun {

    private static final Logger LOG = LoggerFactory.getLogger(NightlyRun.class);

    /** A night decided before anything is written. */
    public record Planned(DriverModel model, RunConfig effective, Lineage lineage, NightPlan plan) {}

    private final SparkSession spark;
    private final RunConfig config;
    private final String runId;
    private final String projectVersion;

    public NightlyRun(SparkSession spark, RunConfig config, String runId, String projectVersion) {
        this.spark = spark;
        this.config = config;
        this.runId = runId;
        this.projectVersion = projectVersion;
    }

    /**
     * Describes the model, reads the lineage's committed nights, fingerprints the corpus files and decides
     * what this night reads; {@link NightPlan.Refused} when it must not run (nothing written).
     */
    public Planned plan(DriverModel model, boolean full, NightPlan.OnChange onChange)
            throws IOException, NightPlan.Refused {
        RunConfig effective = config.withModelDefaults(model.config());
        Lineage lineage = Lineage.of(model.modelId(), effective);
        TableStore store = new TableStore(spark, config.out());
        if (store.exists()) {
            RunLifecycle.recoverUnfinished(store);
        }
        LineageHistory history = LineageHistory.read(store, lineage.id(), config.runDate());
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<FileFingerprint> current = new ArrayList<>();
        for (String path : new CorpusReader(spark, effective.corpus()).files()) {
            current.add(FileFingerprint.of(conf, path));
        }
        NightPlan plan = NightPlan.decide(current, history, config.runDate(), full, onChange);
        if (history.previous() == null && history.newestDate() == null) {
            LOG.info("night {}: lineage {} starts here ({})", config.runDate(), lineage.id(), lineage.configJson());
        }
        LOG.info("night {} of lineage {}: {} ({} of {} files to read{})", config.runDate(), lineage.id(), plan.mode(),
                plan.toRead().size(), current.size(),
                plan.base() == null ? "" : ", on top of the night of " + plan.base().runDate());
        return new Planned(model, effective, lineage, plan);
    }

    /** Runs the planned night to the end; a failure is recorded in the ledger, then rethrown. */
    public RunRecord run(Planned planned) throws Exception {
        RunLifecycle lifecycle = new RunLifecycle(spark, config.out(), new RunStamp(runId, config.runDate()), "nightly",
                projectVersion);
        String modelId = planned.model().modelId();
        NightPlan plan = planned.plan();
        return lifecycle.run((tables, record) -> {
            record.model(modelId).config(planned.effective().toJson()).night(planned.lineage().id(), plan.mode());
            ScopedTables scoped = new ScopedTables(tables);
            AnalysisOutput output = new AnalysisOutput(spark, runId, modelId, planned.effective().model(), scoped);
            List<CorpusAnalysis> analyses = planned.effective().analyses();
            JavaRDD<Row> noRows = JavaSparkContext.fromSparkContext(spark.sparkContext()).emptyRDD();

            Map<String, byte[]> tonight = new HashMap<>();
            CorpusRun.Read read = null;
            if (plan.toRead().isEmpty()) {
                record.corpus(List.of(), 0, 0);
                for (CorpusAnalysis analysis : analyses) {
                    analysis.writeTables(output, null, noRows);
                }
            } else {
                RunConfig files = planned.effective().withCorpusPaths(plan.toRead().stream().map(FileFingerprint::path).toList());
                read = CorpusRun.readAndPass(spark, files, tables, record);
                for (CorpusAnalysis analysis : analyses) {
                    tonight.put(analysis.name(), read.pass().partial(analysis.name()));
                    analysis.writeTables(output, tonight.get(analysis.name()), read.pass().rows(analysis.name()));
                }
                scoped.stage(TableSchemas.REJECTS, CorpusRun.withRun(read.corpus().rejects(), runId, modelId));
            }

            scoped.scope(TableSchemas.SCOPE_CUMULATIVE);
            List<Row> states = new ArrayList<>();
            for (CorpusAnalysis analysis : analyses) {
                byte[] cumulative = merge(analysis, plan.baseState(analysis.name()), tonight.get(analysis.name()));
                analysis.writeTables(output, cumulative, noRows);
                states.add(RowFactory.create(runId, modelId, planned.lineage().id(), analysis.name(), cumulative));
            }
            scoped.stage(TableSchemas.NIGHTLY_STATE,
                    spark.createDataFrame(states, TableSchemas.producerSchema(TableSchemas.NIGHTLY_STATE)));
            stageFiles(scoped, read, planned, modelId);
            scoped.commit();
            if (read != null) {
                read.pass().release();
                read.corpus().unpersist();
            }
            return null;
        }).record();
    }

    /** cumulative = previous cumulative ⊕ tonight (DESIGN §7); either may be null (no usable window). */
    private static byte[] merge(CorpusAnalysis analysis, byte[] previous, byte[] tonight) {
        if (previous == null) {
            return tonight;
        }
        return tonight == null ? previous : analysis.merge(previous, tonight);
    }

    /**
     * corpus_files: tonight's files as {@code run}; as {@code cumulative}, the previous night's cumulative
     * rows (each with the run that read it) and tonight's.
     */
    private void stageFiles(ScopedTables scoped, CorpusRun.Read read, Planned planned, String modelId)
            throws IOException {
        StructType fingerprints = new StructType()
                .add("fp_path", DataTypes.StringType)
                .add("modified_at", DataTypes.TimestampType)
                .add("fingerprint", DataTypes.StringType);
        Dataset<Row> tonight;
        if (read == null) {
            tonight = spark.createDataFrame(List.of(), TableSchemas.producerSchema(TableSchemas.CORPUS_FILES));
        } else {
            List<Row> seen = planned.plan().toRead().stream()
                    .map(f -> RowFactory.create(f.path(), new Timestamp(f.modifiedAtMs()), f.fingerprint())).toList();
            Dataset<Row> summary = read.corpus().fileSummary();
            Dataset<Row> stamped = spark.createDataFrame(seen, fingerprints);
            tonight = CorpusRun.withRun(summary.join(stamped, summary.col("path").equalTo(stamped.col("fp_path")), "left")
                    .drop("fp_path"), runId, modelId).withColumn("lineage", lit(planned.lineage().id()));
        }
        scoped.scope(TableSchemas.SCOPE_RUN).stage(TableSchemas.CORPUS_FILES, tonight);
        Dataset<Row> cumulative = tonight;
        LineageHistory.Night base = planned.plan().base();
        if (base != null) {
            StructType schema = TableSchemas.producerSchema(TableSchemas.CORPUS_FILES);
            List<Row> before = new TableStore(spark, config.out()).read(TableSchemas.CORPUS_FILES)
                    .filter(col("lineage").equalTo(lit(planned.lineage().id()))
                            .and(col(TableSchemas.SCOPE).equalTo(lit(TableSchemas.SCOPE_CUMULATIVE)))
                            .and(col(TableSchemas.RUN_DATE).equalTo(lit(base.runDate()))))
                    .select(Arrays.stream(schema.fieldNames()).map(functions::col).toArray(Column[]::new))
                    .collectAsList();
            cumulative = spark.createDataFrame(before, schema).unionByName(tonight);
        }
        scoped.scope(TableSchemas.SCOPE_CUMULATIVE).stage(TableSchemas.CORPUS_FILES, cumulative);
    }
}
