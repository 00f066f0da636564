package org.travelingwords.catalog;

import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Delta Lake tables under one out folder (DESIGN §7): each write is one Delta commit that
 * replaces one run date of one table ({@code replaceWhere}), tagged with the run id in the commit's
 * user metadata and made idempotent with Delta's transaction ids, so a retried commit never adds rows
 * twice. Readers see every table at one of its versions, never a half-written one. Committing a
 * whole run, all tables or none, is {@link RunLifecycle}'s.
 */
public final class TableStore {

    /** A table's version before its first commit: it does not exist. */
    public static final long NO_TABLE = -1;
    private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";

    private final SparkSession spark;
    private final TableLayout layout;

    /** {@code outRoot} may be a local path or any Hadoop URI (hdfs://, s3a://, file://). */
    public TableStore(SparkSession spark, String outRoot) throws IOException {
        this.spark = spark;
        this.layout = new TableLayout(spark.sparkContext().hadoopConfiguration(), outRoot);
    }

    /** The fully qualified out folder. */
    public String root() {
        return layout.root().toString();
    }

    TableLayout layout() {
        return layout;
    }

    /** Whether the out folder exists at all. */
    public boolean exists() throws IOException {
        return layout.fs().exists(layout.root());
    }

    /**
     * One Delta commit: {@code rows} (the table's data schema, any column order) become the table's rows
     * of {@code runDate} and {@code modelId}; its other dates and models stay. {@code attempt} numbers the writer's tries: Delta skips a
     * commit whose (run id, attempt) the table already has.
     */
    public void commit(String table, Dataset<Row> rows, String runId, String runDate, String modelId, long attempt) {
        if (table.equals(TableSchemas.RUNS)) {
            throw new IllegalArgumentException("the runs ledger is written with appendRun, not commit");
        }
        // Only this model's rows of the date: two models' nightly lineages can share an out folder and a date.
        if (modelId == null) {
            throw new IllegalStateException("run " + runId + " staged " + table + " before naming its model");
        }
        write(table, SchemaCheck.conform(table, rows), TableLayout.requireRunDate(runDate),
                " AND model_id = '" + modelId.replace("'", "''") + "'", TableLayout.requireRunId(runId), runId, attempt);
    }

    /**
     * The run's row in the ledger, as one Delta commit; recording the same run id again replaces its row only.
     * The transaction id names the status too: a run whose succeeded row is rolled back (RESTORE keeps Delta's
     * transaction ids) must still be able to record its failed row.
     */
    public void appendRun(RunRecord run, long attempt) {
        Dataset<Row> row = spark.createDataFrame(List.of(run.toRow()), TableSchemas.dataSchema(TableSchemas.RUNS));
        write(TableSchemas.RUNS, row, run.runDate(), " AND run_id = '" + run.runId() + "'",
                run.runId(), run.runId() + "/" + run.status(), attempt);
    }

    /** Replaces the rows of {@code runDate} that also match {@code narrower} (empty, or " AND ..."). */
    private void write(String table, Dataset<Row> rows, String runDate, String narrower, String runId,
            String txnAppId, long attempt) {
        rows.withColumn(TableSchemas.RUN_DATE, lit(runDate))
                .write().format("delta").mode(SaveMode.Overwrite)
                .option("replaceWhere", "`" + TableSchemas.RUN_DATE + "` = '" + runDate + "'" + narrower)
                .option("userMetadata", runId)
                .option("txnAppId", txnAppId)
                .option("txnVersion", attempt)
                .partitionBy(TableSchemas.RUN_DATE)
                .save(layout.table(table).toString());
    }

    /** The table's current Delta version, or {@link #NO_TABLE}. */
    public long version(String table) throws IOException {
        if (!layout.isDeltaTable(table)) {
            return NO_TABLE;
        }
        return DeltaTable.forPath(spark, layout.table(table).toString()).history(1).first().<Long>getAs("version");
    }

    /**
     * Puts {@code table} back to {@code version} (Delta RESTORE, a new version with the old contents);
     * {@link #NO_TABLE} deletes a table that did not exist then.
     */
    public void restore(String table, long version) throws IOException {
        if (version == NO_TABLE) {
            layout.fs().delete(layout.table(table), true);
        } else if (version(table) != version) {
            DeltaTable.forPath(spark, layout.table(table).toString()).restoreToVersion(version);
        }
    }

    /** The table's commits, newest first: version, timestamp, operation, userMetadata (the run id) and the rest. */
    public Dataset<Row> history(String table) {
        return DeltaTable.forPath(spark, layout.table(table).toString()).history();
    }

    /** Compacts small files (OPTIMIZE), then removes files no version younger than {@code retainHours} needs (VACUUM). */
    public void compactAndVacuum(String table, double retainHours) {
        DeltaTable delta = DeltaTable.forPath(spark, layout.table(table).toString());
        delta.optimize().executeCompaction();
        Map<String, String> vacuumSettings = new LinkedHashMap<>();
        // VACUUM lists the table's folders in LISTING_PARALLELISM tasks (10,000 by default) and joins the lists in
        // spark.sql.shuffle.partitions (200): for tables of a few folders, minutes of empty tasks. The cores do.
        String cores = String.valueOf(spark.sparkContext().defaultParallelism());
        for (String key : List.of(LISTING_PARALLELISM, "spark.sql.shuffle.partitions")) {
            if (!spark.conf().contains(key)) {
                vacuumSettings.put(key, cores);
            }
        }
        // This Delta ignores a retention other than 0 h and takes the table's (7 days) unless told not to.
        vacuumSettings.put("spark.databricks.delta.vacuum.retentionWindowIgnore.enabled", "false");
        withSettings(vacuumSettings, () -> delta.vacuum(retainHours));
    }

    /** Runs {@code action} with {@code settings} in the session, then puts back what the session had. */
    private void withSettings(Map<String, String> settings, Runnable action) {
        // Set or not, not the value read back: getOption gives a registered setting's default, as if it were set.
        Map<String, Optional<String>> before = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            before.put(key, spark.conf().contains(key) ? Optional.of(spark.conf().get(key)) : Optional.empty());
            spark.conf().set(key, value);
        });
        try {
            action.run();
        } finally {
            before.forEach((key, value) -> {
                if (value.isPresent()) {
                    spark.conf().set(key, value.get());
                } else {
                    spark.conf().unset(key);
                }
            });
        }
    }

    /** The Delta tables present under the out folder, sorted (known or not). */
    public List<String> tables() throws IOException {
        return layout.tables();
    }

    /** The run dates a table holds, sorted. */
    public List<String> runDates(String table) {
        return read(table).select(TableSchemas.RUN_DATE).distinct().orderBy(TableSchemas.RUN_DATE)
                .as(Encoders.STRING()).collectAsList();
    }

    /** The whole table, at its current version. */
    public Dataset<Row> read(String table) {
        return spark.read().format("delta").load(layout.table(table).toString());
    }

    /** The table as it was at {@code version} (Delta time travel). */
    public Dataset<Row> read(String table, long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(layout.table(table).toString());
    }
}
