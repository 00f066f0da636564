package org.travelingwords.catalog;

import java.io.IOException;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.travelingwords.exec.ModelLoads;

/**
 * The one course every command that writes tables follows ({@code tw run}, {@code tw probe},
 * {@code tw trajectory}), so that a run is all of its tables or none of them (DESIGN §7):
 * <ol>
 * <li>runs left unfinished by a lost driver are rolled back first;</li>
 * <li>the work stages its tables: each is one Delta commit, preceded by the table's version in the run's
 *     {@link RunJournal};</li>
 * <li>the {@code succeeded} {@code runs} row is the run's last commit, then the journal goes;</li>
 * <li>any failure ({@code Throwable}: Spark's checked exceptions and JVM errors included) restores every
 *     table the run committed to its journaled version (Delta RESTORE), then records the {@code failed}
 *     row with the error. If even that fails, the journal stays and the next writer finishes the job.</li>
 * </ol>
 */
public final class RunLifecycle {

    /** A run's work: stages its tables through {@code tables} and records what it did in {@code record}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(RunTables tables, RunRecord.Builder record) throws Exception;
    }

    /** Where a run's work puts its tables. */
    public interface RunTables {
        /** Commits {@code rows} as this run's date of {@code table} (one Delta commit; see {@link TableStore#commit}). */
        void stage(String table, Dataset<Row> rows);

        /** The fully qualified out folder, where the run's other files go too. */
        String root();

        /** Adds executor JVMs whose model served the run's tasks, as the task results reported them. */
        void served(ModelLoads loads);
    }

    /** What the work returned, and the ledger row of its successful run. */
    public record Outcome<T>(T value, RunRecord record) {}

    /** Test hook: the driver halts (as under kill -9) right after this many table commits. */
    static final String HALT_AFTER_COMMITS = "tw.test.haltAfterCommits";

    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final SparkSession spark;
    private final String out;
    private final RunStamp stamp;
    private final String command;
    private final String projectVersion;

    /** Run {@code stamp} of {@code command} (its name in the log) into the out folder {@code out}. */
    public RunLifecycle(SparkSession spark, String out, RunStamp stamp, String command, String projectVersion) {
        this.spark = spark;
        this.out = out;
        this.stamp = stamp;
        this.command = command;
        this.projectVersion = projectVersion;
    }

    /**
     * Runs {@code work} to the end and commits; any failure rolls the run's commits back, is recorded in
     * the ledger, then rethrown. The ledger row is taken from what the work had recorded by then.
     */
    public <T> Outcome<T> run(Work<T> work) throws Exception {
        Instant started = Instant.now();
        TableStore store = new TableStore(spark, out);
        recoverUnfinished(store);
        ModelLoads[] loads = {ModelLoads.NONE};
        RunRecord.Builder record = RunRecord.builder(stamp)
                .provenance(spark.sparkContext().applicationId(), projectVersion);
        Commits commits = new Commits(store, new RunJournal(stamp.runId(), stamp.runDate(), command, null,
                started.toString(), started.toEpochMilli(), java.util.Map.of()));
        RunTables tables = new RunTables() {
            @Override
            public void stage(String table, Dataset<Row> rows) {
                commits.commit(table, rows, record.modelId());
            }

            @Override
            public String root() {
                return store.root();
            }

            @Override
            public void served(ModelLoads more) {
                loads[0] = loads[0].plus(more);
            }
        };
        try {
            T value = work.run(tables, record);
            RunRecord succeeded = withLoads(record, loads[0]).succeeded(started, Instant.now());
            commits.finish(succeeded);
            return new Outcome<>(value, succeeded);
        } catch (Exception | Error e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.error("{} {} failed: {}", command, stamp.runId(), error);
            try {
                commits.rollBack(withLoads(record, loads[0]).failed(error, started, Instant.now()));
            } catch (Exception | Error rollBack) {
                e.addSuppressed(rollBack);
            }
            throw e;
        }
    }

    private static RunRecord.Builder withLoads(RunRecord.Builder record, ModelLoads loads) {
        return record.loads(loads.count(), loads.list());
    }

    /**
     * Rolls back every run whose journal is still there: restores its tables and records it {@code failed}
     * ("driver lost"); a run whose {@code succeeded} row made it into the ledger only loses its journal.
     */
    public static void recoverUnfinished(TableStore store) throws IOException {
        for (RunJournal journal : RunJournal.unfinished(store.layout())) {
            if (succeededInLedger(store, journal.runId())) {
                LOG.warn("run {} committed all its tables before its driver was lost; removing its journal",
                        journal.runId());
            } else {
                LOG.warn("run {} ({} on {}) did not finish: its driver was lost; restoring {} to their versions before it",
                        journal.runId(), journal.command(), journal.runDate(), journal.versions().keySet());
                restore(store, journal);
                RunRecord failed = RunRecord.builder(new RunStamp(journal.runId(), journal.runDate()))
                        .model(journal.modelId())
                        .failed("driver lost: the run stopped while committing; its tables were restored",
                                Instant.parse(journal.startedAt()), Instant.now());
                store.appendRun(failed, journal.attempt());
            }
            journal.delete(store.layout());
        }
    }

    private static boolean succeededInLedger(TableStore store, String runId) throws IOException {
        return store.version(TableSchemas.RUNS) != TableStore.NO_TABLE
                && !store.read(TableSchemas.RUNS).where(org.apache.spark.sql.functions.col("run_id").equalTo(runId)
                        .and(org.apache.spark.sql.functions.col("status").equalTo(RunRecord.SUCCEEDED))).isEmpty();
    }

    private static void restore(TableStore store, RunJournal journal) throws IOException {
        for (var entry : journal.versions().entrySet()) {
            store.restore(entry.getKey(), entry.getValue());
        }
    }

    /** The commits of one run, each journaled before it is made. */
    private static final class Commits {
        private final TableStore store;
        private RunJournal journal;
        private int made;

        Commits(TableStore store, RunJournal journal) {
            this.store = store;
            this.journal = journal;
        }

        void commit(String table, Dataset<Row> rows, String modelId) {
            try {
                journal(table, modelId);
                store.commit(table, rows, journal.runId(), journal.runDate(), modelId, journal.attempt());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("could not commit " + table, e);
            }
            haltIfTestAsks(++made);
        }

        /** The succeeded row is the last commit; the journal goes once it is in. */
        void finish(RunRecord succeeded) throws IOException {
            journal(TableSchemas.RUNS, succeeded.modelId());
            store.appendRun(succeeded, journal.attempt());
            journal.delete(store.layout());
        }

        /** Restores what was committed, adds the failed row, and drops the journal. */
        void rollBack(RunRecord failed) throws IOException {
            restore(store, journal);
            store.appendRun(failed, journal.attempt());
            journal.delete(store.layout());
        }

        private void journal(String table, String modelId) throws IOException {
            if (!journal.versions().containsKey(table)) {
                journal = new RunJournal(journal.runId(), journal.runDate(), journal.command(), modelId,
                        journal.startedAt(), journal.attempt(), journal.versions()).with(table, store.version(table));
                journal.write(store.layout());
            }
        }

        private static void haltIfTestAsks(int commits) {
            if (Integer.getInteger(HALT_AFTER_COMMITS, -1) == commits) {
                Runtime.getRuntime().halt(137);
            }
        }
    }
}
