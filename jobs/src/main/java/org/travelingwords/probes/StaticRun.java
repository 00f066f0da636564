package org.travelingwords.probes;

import java.io.IOException;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.catalog.StagedRun;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.exec.JobCounters;

/**
 * The course of a run without a corpus ({@code tw probe}, {@code tw trajectory}) through the out
 * folder: its tables are staged, then either committed with a succeeded {@code runs} row, or dropped
 * with a failed one, so that a failed run leaves the tables as they were.
 */
public final class StaticRun {

    private static final Logger LOG = LoggerFactory.getLogger(StaticRun.class);

    private final SparkSession spark;
    private final String command;
    private final RunStamp stamp;
    private final String projectVersion;
    private final Instant started;
    private final TableStore store;
    private final StagedRun staged;
    private final JobCounters counters;

    /** Starts run {@code stamp} of {@code command} (its name in the log) in the out folder {@code out}. */
    public StaticRun(SparkSession spark, String command, String out, RunStamp stamp, String projectVersion)
            throws IOException {
        this.spark = spark;
        this.command = command;
        this.stamp = stamp;
        this.projectVersion = projectVersion;
        this.started = Instant.now();
        this.store = new TableStore(spark, out);
        this.staged = store.begin(stamp.runId(), stamp.runDate());
        this.counters = JobCounters.register(spark.sparkContext());
    }

    /** The counters the run's tasks add to, for its ledger row. */
    public JobCounters counters() {
        return counters;
    }

    public Instant started() {
        return started;
    }

    /** The fully qualified out folder, where the run's other files go too. */
    public String root() {
        return store.root();
    }

    public void stage(String table, Dataset<Row> rows) {
        staged.stage(table, rows);
    }

    /**
     * Commits the staged tables and adds the succeeded ledger row; {@code documents} and {@code tokens}
     * as {@link StaticRunRecord} counts them.
     */
    public RunRecord succeed(String modelId, long documents, long tokens, String configJson) throws IOException {
        RunRecord record = StaticRunRecord.of(spark, stamp, modelId, documents, tokens, counters, configJson,
                projectVersion, started, null);
        staged.finish(record);
        return record;
    }

    /** Drops the staged tables and adds the failed ledger row, with {@code failure} as its error. */
    public void fail(String modelId, long documents, long tokens, String configJson, Exception failure)
            throws IOException {
        String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        LOG.error("{} {} failed: {}", command, stamp.runId(), error);
        staged.finish(StaticRunRecord.of(spark, stamp, modelId, documents, tokens, counters, configJson,
                projectVersion, started, error));
    }
}
