package org.travelingwords.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;

/** What every section reads: the out folder's tables, the run reported on, and the run compared with. */
final class ReportContext {

    private final Configuration hadoopConf;
    private final TableStore store;
    private final Set<String> tables;
    private final Row run;
    private final Row compared;
    private final Map<String, Dataset<Row>> read = new HashMap<>();
    private final Map<String, Boolean> hasRows = new HashMap<>();

    /** {@code compared} is null when the report compares with no other run. */
    ReportContext(Configuration hadoopConf, TableStore store, Row run, Row compared) throws IOException {
        this.hadoopConf = hadoopConf;
        this.store = store;
        this.tables = new TreeSet<>(store.tables());
        this.run = run;
        this.compared = compared;
    }

    TableStore store() {
        return store;
    }

    /** For files beside the tables, on the out folder's file system. */
    Configuration hadoopConf() {
        return hadoopConf;
    }

    /** The run's ledger row. */
    Row run() {
        return run;
    }

    String runId() {
        return run.getAs("run_id");
    }

    /** The ledger row of the run compared with, if any. */
    Optional<Row> compared() {
        return Optional.ofNullable(compared);
    }

    boolean hasTable(String table) {
        return tables.contains(table);
    }

    /** The reported run's rows of {@code table}, which must exist (see {@link #missing}). */
    Dataset<Row> rows(String table) {
        return rows(table, runId());
    }

    /** A run's rows of {@code table}; of an aggregate, its own input's ({@code scope = run}, not a nightly lineage's). */
    Dataset<Row> rows(String table, String runId) {
        return rows(table, runId, TableSchemas.SCOPE_RUN);
    }

    /** A run's rows of {@code table}, of an aggregate only those of {@code scope}. */
    Dataset<Row> rows(String table, String runId, String scope) {
        Dataset<Row> rows = read(table).where(col("run_id").equalTo(runId));
        return TableSchemas.isKnown(table) && TableSchemas.isScoped(table)
                ? rows.where(col(TableSchemas.SCOPE).equalTo(scope)) : rows;
    }

    /** Whether {@code table} exists and holds rows of the reported run; asked once per table. */
    boolean hasRows(String table) {
        return hasRows.computeIfAbsent(table, t -> hasTable(t) && !rows(t).isEmpty());
    }

    // Sections ask for the same tables over and over: list each table's files once.
    private Dataset<Row> read(String table) {
        return read.computeIfAbsent(table, store::read);
    }

    /**
     * The run whose rows of {@code tables} describe this run's model: the reported run itself when
     * it has some, else the newest run (by run date, then id) of the same model that has. Static
     * probes and trajectories come from their own runs (tw probe, tw trajectory), not the corpus run.
     */
    Optional<String> runOfModel(String... tables) {
        for (String table : tables) {
            if (hasRows(table)) {
                return Optional.of(runId());
            }
        }
        Row newest = null;
        for (String table : tables) {
            if (!hasTable(table)) {
                continue;
            }
            List<Row> latest = read(table).where(col("model_id").equalTo(run.<String>getAs("model_id")))
                    .select("run_date", "run_id").distinct()
                    .orderBy(col("run_date").desc(), col("run_id").desc()).limit(1).collectAsList();
            if (!latest.isEmpty() && (newest == null || newer(latest.get(0), newest))) {
                newest = latest.get(0);
            }
        }
        return newest == null ? Optional.empty() : Optional.of(newest.getString(1));
    }

    private static boolean newer(Row a, Row b) {
        int byDate = a.getString(0).compareTo(b.getString(0));
        return byDate != 0 ? byDate > 0 : a.getString(1).compareTo(b.getString(1)) > 0;
    }

    /**
     * Why the reported run has none of {@code wanted}'s rows: the tables missing, then those without
     * its rows; empty when at least one of them has rows (a section then shows what it has).
     */
    Optional<String> missing(String... wanted) {
        List<String> absent = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (String table : wanted) {
            if (!hasTable(table)) {
                absent.add(table);
            } else if (hasRows(table)) {
                return Optional.empty();
            } else {
                empty.add(table);
            }
        }
        List<String> why = new ArrayList<>();
        if (!absent.isEmpty()) {
            why.add("no " + String.join(", ", absent) + (absent.size() == 1 ? " table" : " tables"));
        }
        if (!empty.isEmpty()) {
            why.add("no rows of this run in " + String.join(", ", empty));
        }
        return Optional.of(String.join("; ", why));
    }
}
