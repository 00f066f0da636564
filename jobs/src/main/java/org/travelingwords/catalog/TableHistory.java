package org.travelingwords.catalog;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The Delta commits of an out folder's tables, each with the run that made it (DESIGN §7). */
public final class TableHistory {

    private TableHistory() {}

    /**
     * One row per commit, oldest first: table, version, committed_at, run_id (the commit's user
     * metadata), operation; of {@code table} only, or of every table when it is null.
     */
    public static Dataset<Row> of(TableStore store, String table) throws IOException {
        List<String> tables = table == null ? store.tables() : List.of(table);
        if (table != null && !store.tables().contains(table)) {
            throw new IllegalArgumentException("no table " + table + " under " + store.root() + "; tables: " + store.tables());
        }
        Dataset<Row> all = null;
        for (String name : tables) {
            Dataset<Row> commits = store.history(name).select(lit(name).as("table"), col("version"),
                    col("timestamp").as("committed_at"), col("userMetadata").as("run_id"), col("operation"));
            all = all == null ? commits : all.unionAll(commits);
        }
        if (all == null) {
            throw new IllegalArgumentException("no tables under " + store.root());
        }
        return all.orderBy(col("committed_at"), col("table"), col("version"));
    }

    /**
     * Each table's version right after run {@code runId}'s last commit (its {@code runs} row): the newest
     * version committed no later; a table created after it is absent. Only a succeeded run can be gone back to.
     */
    public static java.util.Map<String, Long> versionsAfter(TableStore store, String runId) throws IOException {
        List<Row> ledger = store.history(TableSchemas.RUNS).where(col("userMetadata").equalTo(runId))
                .orderBy(col("version").desc()).collectAsList();
        boolean succeeded = !store.read(TableSchemas.RUNS)
                .where(col("run_id").equalTo(runId).and(col("status").equalTo(RunRecord.SUCCEEDED))).isEmpty();
        if (ledger.isEmpty() || !succeeded) {
            throw new IllegalArgumentException("run " + runId + " is not a succeeded run in " + store.root());
        }
        java.sql.Timestamp finished = ledger.get(0).getAs("timestamp");
        java.util.Map<String, Long> versions = new java.util.TreeMap<>();
        for (String table : store.tables()) {
            List<Row> before = store.history(table).where(col("timestamp").leq(lit(finished)))
                    .orderBy(col("version").desc()).limit(1).collectAsList();
            if (!before.isEmpty()) {
                versions.put(table, before.get(0).<Long>getAs("version"));
            }
        }
        return versions;
    }
}
