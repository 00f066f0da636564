package org.travelingwords.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One run's tables on their way into the out folder. Staged tables are written under
 * {@code <out>/_staging/<run_id>/}, where no reader looks; {@link #commit()} moves them into place,
 * replacing only this run's date; {@link #abort()} drops them. A run that dies between the two
 * leaves its staging folder behind, still invisible.
 */
public final class StagedRun {

    private enum State { OPEN, COMMITTED, ABORTED }

    private final SparkSession spark;
    private final TableLayout layout;
    private final TableStore store;
    private final String runId;
    private final String runDate;
    private final Set<String> staged = new LinkedHashSet<>();
    private State state = State.OPEN;

    StagedRun(SparkSession spark, TableLayout layout, TableStore store, String runId, String runDate) {
        this.spark = spark;
        this.layout = layout;
        this.store = store;
        this.runId = runId;
        this.runDate = runDate;
    }

    public String runId() {
        return runId;
    }

    public String runDate() {
        return runDate;
    }

    /** The tables staged so far, in staging order. */
    public List<String> staged() {
        return List.copyOf(staged);
    }

    /**
     * Writes {@code rows} (the table's {@link TableSchemas#dataSchema(String) data schema}, any column
     * order) as this run's partition of {@code table}, into staging. Staging a table again replaces it.
     * The {@code runs} ledger is not staged: see {@link TableStore#appendRun(RunRecord)}.
     */
    public void stage(String table, Dataset<Row> rows) {
        requireOpen("stage " + table);
        if (table.equals(TableSchemas.RUNS)) {
            throw new IllegalArgumentException("the runs ledger is appended with TableStore.appendRun, not staged");
        }
        Dataset<Row> conformed = SchemaCheck.conform(table, rows);
        ParquetOutput.write(spark, conformed, layout.stagedPartition(runId, table, runDate));
        staged.add(table);
    }

    /**
     * Moves every staged table's partition into {@code <out>/<table>/run_date=D}; the date's previous
     * partition, if any, is set aside first and deleted once the new one is in place (a rerun
     * replaces its date, other dates are untouched). Each table switches by a rename; the switch of
     * several tables is not one atomic step.
     */
    public void commit() throws IOException {
        requireOpen("commit");
        FileSystem fs = layout.fs();
        Path replaced = new Path(layout.staging(runId), "_replaced");
        for (String table : new ArrayList<>(staged)) {
            Path target = layout.partition(table, runDate);
            Path previous = new Path(replaced, table);
            fs.mkdirs(layout.table(table));
            boolean hadPrevious = fs.exists(target);
            if (hadPrevious) {
                fs.mkdirs(replaced);
                if (!fs.rename(target, previous)) {
                    throw new IOException("could not set aside " + target);
                }
            }
            if (!fs.rename(layout.stagedPartition(runId, table, runDate), target)) {
                if (hadPrevious) {
                    fs.rename(previous, target);
                }
                throw new IOException("could not move staged " + table + " to " + target);
            }
            staged.remove(table);
        }
        fs.delete(layout.staging(runId), true);
        layout.removeEmptyStaging();
        state = State.COMMITTED;
    }

    /** Drops everything staged; the out folder's tables stay exactly as they were. Safe to call twice. */
    public void abort() throws IOException {
        if (state == State.COMMITTED) {
            throw new IllegalStateException("run " + runId + " is already committed");
        }
        layout.fs().delete(layout.staging(runId), true);
        layout.removeEmptyStaging();
        staged.clear();
        state = State.ABORTED;
    }

    /**
     * Ends the run as its record says: a succeeded run commits and then adds its ledger row (so the
     * ledger never names a run whose tables are not in place); a failed one aborts and adds its
     * failed row, even when the abort itself fails.
     */
    public void finish(RunRecord run) throws IOException {
        if (!run.runId().equals(runId) || !run.runDate().equals(runDate)) {
            throw new IllegalArgumentException("record of run " + run.runId() + " (" + run.runDate()
                    + ") does not belong to run " + runId + " (" + runDate + ")");
        }
        if (run.succeeded()) {
            commit();
            store.appendRun(run);
            return;
        }
        try {
            if (state != State.COMMITTED) {
                abort();
            }
        } finally {
            store.appendRun(run);
        }
    }

    private void requireOpen(String action) {
        if (state != State.OPEN) {
            throw new IllegalStateException("cannot " + action + ": run " + runId + " is " + state.name().toLowerCase());
        }
    }
}
