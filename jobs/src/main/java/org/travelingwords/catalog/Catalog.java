package org.travelingwords.catalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Makes an out folder queryable: every table found becomes the temp view {@code <table>}, and each
 * table with a {@code run_id} column also gets {@code <table>_latest}, its rows of the newest
 * successful run that wrote it (latest {@code runs.finished_at} among {@code status = 'succeeded'};
 * ties broken by run id). {@code runs_latest} is that run's ledger row. Tables that are not there get no view, and
 * without a {@code runs} ledger there is no notion of latest, so no {@code _latest} views.
 */
public final class Catalog {

    public static final String LATEST_SUFFIX = "_latest";

    private final SparkSession spark;
    private final TableStore store;

    public Catalog(SparkSession spark, String outRoot) throws IOException {
        this(spark, new TableStore(spark, outRoot));
    }

    public Catalog(SparkSession spark, TableStore store) {
        this.spark = spark;
        this.store = store;
    }

    /** Registers (or replaces) the views and returns their names, tables first, then the _latest views. */
    public List<String> registerViews() throws IOException {
        return register(store.tables(), store::read);
    }

    /**
     * The same views over every table as it was right after run {@code runId} committed (Delta time
     * travel to the versions {@link TableHistory#versionsAfter} finds); a table that did not exist then is absent.
     */
    public List<String> registerViewsAsOf(String runId) throws IOException {
        Map<String, Long> versions = TableHistory.versionsAfter(store, runId);
        return register(List.copyOf(versions.keySet()), table -> store.read(table, versions.get(table)));
    }

    private List<String> register(List<String> tables, Function<String, Dataset<Row>> read) {
        List<String> views = new ArrayList<>();
        List<String> withRunId = new ArrayList<>();
        for (String table : tables) {
            Dataset<Row> rows = read.apply(table);
            rows.createOrReplaceTempView(table);   // table folder names are plain identifiers (TableLayout)
            views.add(table);
            if (Arrays.asList(rows.columns()).contains("run_id")) {
                withRunId.add(table);
            }
        }
        if (!tables.contains(TableSchemas.RUNS)) {
            return views;
        }
        for (String table : withRunId) {
            spark.sql(latestViewSql(table));
            views.add(table + LATEST_SUFFIX);
        }
        return views;
    }

    // Lazy SQL views: the latest run is looked up when a query runs, from the same ledger snapshot.
    private static String latestViewSql(String table) {
        // Among the runs that wrote this table: a probe run must not hide the corpus run's sphere_stats.
        String latestRun = "SELECT run_id FROM " + quoted(TableSchemas.RUNS)
                + " WHERE status = '" + RunRecord.SUCCEEDED + "' AND run_id IN (SELECT run_id FROM " + quoted(table)
                + ") ORDER BY finished_at DESC, run_id DESC LIMIT 1";
        String view = quoted(table + LATEST_SUFFIX);
        if (table.equals(TableSchemas.RUNS)) {
            return "CREATE OR REPLACE TEMPORARY VIEW " + view + " AS SELECT * FROM " + quoted(table)
                    + " WHERE status = '" + RunRecord.SUCCEEDED + "' ORDER BY finished_at DESC, run_id DESC LIMIT 1";
        }
        return "CREATE OR REPLACE TEMPORARY VIEW " + view + " AS SELECT * FROM " + quoted(table)
                + " WHERE run_id = (" + latestRun + ")";
    }

    private static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
