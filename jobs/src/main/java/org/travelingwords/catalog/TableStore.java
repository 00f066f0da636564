package org.travelingwords.catalog;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet tables under one out folder (DESIGN §7): starts a run's staged writes, appends to the
 * {@code runs} ledger, and reads tables back with {@code run_date} as a string partition column.
 *
 * <p>Typical use by a job:
 * <pre>{@code
 * StagedRun run = store.begin(runId, runDate);
 * try {
 *     run.stage("sphere_stats", stats);           // as many tables as the run makes
 *     run.finish(record);                          // commit, then the ledger row
 * } catch (Exception e) {
 *     run.finish(record.failed(e.toString(), Instant.now()));   // nothing visible, a failed ledger row
 *     throw e;
 * }
 * }</pre>
 */
public final class TableStore {

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

    /** Whether the out folder exists at all. */
    public boolean exists() throws IOException {
        return layout.fs().exists(layout.root());
    }

    /** Starts staging the tables of run {@code runId} for {@code runDate} (yyyy-MM-dd). */
    public StagedRun begin(String runId, String runDate) {
        return new StagedRun(spark, layout, this, TableLayout.requireRunId(runId), TableLayout.requireRunDate(runDate));
    }

    /**
     * Adds the run's row to the ledger as {@code <out>/runs/run_date=D/<run_id>.parquet}. Earlier
     * runs' files stay (history); recording the same run id again replaces that run's row only.
     */
    public void appendRun(RunRecord run) throws IOException {
        FileSystem fs = layout.fs();
        Path scratch = layout.ledgerScratch(run.runId());
        Dataset<Row> row = spark.createDataFrame(List.of(run.toRow()), TableSchemas.dataSchema(TableSchemas.RUNS))
                .coalesce(1);
        ParquetOutput.write(spark, row, scratch);
        try {
            Path written = onlyDataFile(scratch);
            Path target = layout.ledgerFile(run.runDate(), run.runId());
            fs.mkdirs(target.getParent());
            fs.delete(target, false);
            if (!fs.rename(written, target)) {
                throw new IOException("could not move the ledger row " + written + " to " + target);
            }
        } finally {
            fs.delete(scratch, true);
            layout.removeEmptyStaging();
        }
    }

    /** The tables present under the out folder, sorted (known or not). */
    public List<String> tables() throws IOException {
        return layout.tables();
    }

    /** The run dates a table holds, sorted. */
    public List<String> runDates(String table) throws IOException {
        return layout.runDates(table);
    }

    /**
     * The whole table with {@code run_date} as a string column. Known tables are read with their
     * schema (so Spark never guesses run_date to be a date); a table this build does not know keeps
     * the columns its files have, with run_date forced to string the same way.
     */
    public Dataset<Row> read(String table) {
        String path = layout.table(table).toString();
        StructType schema = TableSchemas.isKnown(table)
                ? TableSchemas.schema(table)
                : withStringRunDate(spark.read().parquet(path).schema());
        return spark.read().schema(schema).parquet(path);
    }

    private static StructType withStringRunDate(StructType inferred) {
        StructField[] fields = inferred.fields().clone();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equals(TableSchemas.RUN_DATE)) {
                fields[i] = DataTypes.createStructField(TableSchemas.RUN_DATE, DataTypes.StringType, true);
            }
        }
        return DataTypes.createStructType(fields);
    }

    private Path onlyDataFile(Path dir) throws IOException {
        Path found = null;
        for (FileStatus file : layout.fs().listStatus(dir)) {
            String name = file.getPath().getName();
            if (file.isFile() && name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".")) {
                if (found != null) {
                    throw new IOException("expected one Parquet file in " + dir + ", found several");
                }
                found = file.getPath();
            }
        }
        if (found == null) {
            throw new IOException("no Parquet file written in " + dir);
        }
        return found;
    }
}
