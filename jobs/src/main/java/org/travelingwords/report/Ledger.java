package org.travelingwords.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;

/** Finds the {@code runs} row a report is about. */
final class Ledger {

    private final TableStore store;

    Ledger(TableStore store) throws IOException {
        if (!store.tables().contains(TableSchemas.RUNS)) {
            throw new IOException("no runs ledger under " + store.root() + ": nothing to report (run tw run first)");
        }
        this.store = store;
    }

    /** The run with this id, failed or not. */
    Row run(String runId) {
        List<Row> found = store.read(TableSchemas.RUNS).where(col("run_id").equalTo(runId)).collectAsList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no run '" + runId + "' in the runs ledger under " + store.root()
                    + "; runs there: " + String.join(", ", runIds()));
        }
        return found.get(0);
    }

    /**
     * The newest succeeded corpus run (finished_at, then run id), else the newest succeeded run of
     * any kind: a later {@code tw probe} or {@code tw trajectory} run has no corpus to report on.
     */
    Row newestSucceeded() {
        Dataset<Row> succeeded = store.read(TableSchemas.RUNS).where(col("status").equalTo(RunRecord.SUCCEEDED));
        Dataset<Row> corpusRuns = succeeded.where(size(col("corpus_paths")).gt(0));
        List<Row> found = (corpusRuns.isEmpty() ? succeeded : corpusRuns)
                .orderBy(col("finished_at").desc(), col("run_id").desc())
                .limit(1)
                .collectAsList();
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no succeeded run in the runs ledger under " + store.root()
                    + "; name one with --run-id (runs there: " + String.join(", ", runIds()) + ")");
        }
        return found.get(0);
    }

    private List<String> runIds() {
        Dataset<Row> ids = store.read(TableSchemas.RUNS).select("run_id").orderBy("run_id");
        return ids.collectAsList().stream().map(row -> row.getString(0)).toList();
    }
}
