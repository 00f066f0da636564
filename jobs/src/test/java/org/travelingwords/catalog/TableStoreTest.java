package org.travelingwords.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.testing.LocalSpark;

class TableStoreTest {

    private static final String D1 = "2026-11-01";
    private static final String D2 = "2026-11-02";
    private static final Instant T0 = Instant.parse("2026-11-01T03:00:00Z");

    private static SparkSession spark;

    @TempDir
    Path out;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stopSpark() {
        LocalSpark.stop();
    }

    @Test
    void commitMakesEveryTableVisibleWithItsExactSchema() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        Map<String, Dataset<Row>> tables = new TreeMap<>();
        for (String table : TableSchemas.tables()) {
            if (!table.equals(TableSchemas.RUNS)) {
                tables.put(table, TestRows.of(spark, table, "r1", 3));
            }
        }
        TestRows.commit(store, TestRows.run("r1", D1, RunRecord.SUCCEEDED, T0), tables);

        assertEquals(TableSchemas.tables().stream().sorted().toList(), store.tables());
        for (String table : tables.keySet()) {
            var rows = store.read(table);
            assertEquals(columns(TableSchemas.schema(table)), columns(rows.schema()), table);
            assertEquals(3, rows.count(), table);
            assertEquals(List.of(D1), distinct(rows.select("run_date").collectAsList()), table);
            assertEquals(List.of("r1"), distinct(rows.select("run_id").collectAsList()), table);
        }
        Row ledger = store.read(TableSchemas.RUNS).collectAsList().get(0);
        assertEquals("succeeded", ledger.getAs("status"));
        assertNull(ledger.getAs("error"));
        assertEquals(D1, ledger.getAs("run_date"));
        assertEquals(List.of("/corpus/a.txt", "/corpus/b.jsonl"), ledger.getList(ledger.fieldIndex("corpus_paths")));
        assertEquals(java.sql.Timestamp.from(T0), ledger.getAs("finished_at"));
        // The binary sketch survives the round trip.
        byte[] sketch = store.read(TableSchemas.SPHERE_STATS).where("layer = 2").first().getAs("sketch");
        assertArrayEquals(new byte[] {1, 2, 2}, sketch);
    }

    @Test
    void rerunReplacesItsDateAndANewDateAppends() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        commitCorpusFiles(store, "r1", D1, 3);
        commitCorpusFiles(store, "r2", D1, 2);   // rerun of D1
        var rows = store.read(TableSchemas.CORPUS_FILES);
        assertEquals(2, rows.count());
        assertEquals(List.of("r2"), distinct(rows.select("run_id").collectAsList()));

        commitCorpusFiles(store, "r3", D2, 4);   // the next day
        rows = store.read(TableSchemas.CORPUS_FILES);
        assertEquals(6, rows.count());
        assertEquals(List.of(D1, D2), store.runDates(TableSchemas.CORPUS_FILES));
        assertEquals(List.of("r2", "r3"), distinct(rows.select("run_id").collectAsList()));
        assertEquals(2, rows.where(functions.col("run_date").equalTo(D1)).count());

        // The ledger is never replaced: all three runs stay on record.
        assertEquals(List.of("r1", "r2", "r3"), distinct(store.read(TableSchemas.RUNS).select("run_id").collectAsList()));
    }

    @Test
    void eachCommitIsOneVersionNamingItsRunAndARetriedCommitAddsNothing() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        assertEquals(TableStore.NO_TABLE, store.version(TableSchemas.CORPUS_FILES));
        store.commit(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, "r1", 3), "r1", D1, TestRows.MODEL, 7);
        assertEquals(0, store.version(TableSchemas.CORPUS_FILES));
        // The same run's same attempt again (a retried commit): Delta skips it.
        store.commit(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, "r1", 5), "r1", D1, TestRows.MODEL, 7);
        assertEquals(0, store.version(TableSchemas.CORPUS_FILES));
        assertEquals(3, store.read(TableSchemas.CORPUS_FILES).count());
        store.commit(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, "r2", 4), "r2", D2, TestRows.MODEL, 1);
        assertEquals(1, store.version(TableSchemas.CORPUS_FILES));
        List<Row> history = store.history(TableSchemas.CORPUS_FILES).orderBy("version").collectAsList();
        assertEquals(List.of("r1", "r2"), history.stream().map(r -> (String) r.getAs("userMetadata")).toList());
    }

    @Test
    void aSucceededRowRolledBackLeavesRoomForTheSameAttemptsFailedRow() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        store.appendRun(TestRows.run("r0", D1, RunRecord.SUCCEEDED, T0), 3);
        long before = store.version(TableSchemas.RUNS);
        store.appendRun(TestRows.run("r1", D1, RunRecord.SUCCEEDED, T0), 3);
        store.restore(TableSchemas.RUNS, before);
        store.appendRun(TestRows.run("r1", D1, RunRecord.FAILED, T0), 3);
        List<Row> r1 = store.read(TableSchemas.RUNS).where("run_id = 'r1'").collectAsList();
        assertEquals(1, r1.size(), r1.toString());
        assertEquals(RunRecord.FAILED, r1.get(0).getAs("status"));
    }

    @Test
    void restoreGivesBackAnEarlierVersionWholeAndNoTableRemovesATable() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        commitCorpusFiles(store, "r1", D1, 3);
        List<Row> before = sorted(store.read(TableSchemas.CORPUS_FILES));
        long version = store.version(TableSchemas.CORPUS_FILES);
        commitCorpusFiles(store, "r2", D1, 5);
        commitCorpusFiles(store, "r3", D2, 2);
        store.restore(TableSchemas.CORPUS_FILES, version);
        assertEquals(before, sorted(store.read(TableSchemas.CORPUS_FILES)));
        assertEquals(before, sorted(store.read(TableSchemas.CORPUS_FILES, version)), "time travel reads the same");

        store.commit(TableSchemas.REJECTS, TestRows.of(spark, TableSchemas.REJECTS, "r4", 1), "r4", D1, TestRows.MODEL, 1);
        store.restore(TableSchemas.REJECTS, TableStore.NO_TABLE);
        assertFalse(store.tables().contains(TableSchemas.REJECTS));
    }

    @Test
    void rowsThatDoNotMatchTheSchemaAreRefused() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        var wrong = TestRows.of(spark, TableSchemas.CORPUS_FILES, "r1", 1)
                .withColumn("bytes", functions.col("bytes").cast("int"))
                .drop("format")
                .withColumn("extra", functions.lit(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.commit(TableSchemas.CORPUS_FILES, wrong, "r1", D1, TestRows.MODEL, 1));
        assertTrue(e.getMessage().contains("bytes is int, expected bigint"), e.getMessage());
        assertTrue(e.getMessage().contains("missing format string"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected extra int"), e.getMessage());
        // Column order does not matter.
        var reordered = TestRows.of(spark, TableSchemas.CORPUS_FILES, "r1", 1).select("path", "run_id", "model_id",
                "rejects", "documents", "bytes", "format", "lineage", "fingerprint", "modified_at", "scope");
        store.commit(TableSchemas.CORPUS_FILES, reordered, "r1", D1, TestRows.MODEL, 1);
        assertEquals(1, store.read(TableSchemas.CORPUS_FILES).count());
        var rows = TestRows.of(spark, TableSchemas.CORPUS_FILES, "r1", 1);
        assertThrows(IllegalArgumentException.class, () -> store.commit(TableSchemas.CORPUS_FILES, rows, "bad id:1", D1, TestRows.MODEL, 1));
        assertThrows(IllegalArgumentException.class, () -> store.commit(TableSchemas.CORPUS_FILES, rows, "r1", "2026-13-01", TestRows.MODEL, 1));
    }

    /** The data files of the current snapshot are plain Parquet: any Parquet reader gets the rows and the schema. */
    @Test
    void snapshotFilesAreReadableByPlainParquetHadoop() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        commitCorpusFiles(store, "r0", D1, 4);
        commitCorpusFiles(store, "r1", D1, 7);    // replaces r0's files; theirs stay until VACUUM
        Configuration conf = new Configuration();
        long rows = 0;
        for (String file : store.read(TableSchemas.CORPUS_FILES).inputFiles()) {
            try (ParquetFileReader reader = ParquetFileReader.open(
                    HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file), conf))) {
                assertEquals(fieldNames(TableSchemas.CORPUS_FILES), columnNames(reader.getFooter().getFileMetaData().getSchema()));
                rows += reader.getRecordCount();
            }
        }
        assertEquals(7, rows);

        String ledger = store.read(TableSchemas.RUNS).where("run_id = 'r1'").inputFiles()[0];
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(ledger), conf))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            assertEquals(fieldNames(TableSchemas.RUNS), columnNames(schema));
            // Standard INT64 timestamps, not Spark's legacy INT96.
            assertEquals(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS),
                    schema.getType("started_at").getLogicalTypeAnnotation());
        }
    }

    /** Vacuum keeps the rows, deletes the replaced run's files, and lists the table in a few tasks, not 10,000. */
    @Test
    void compactAndVacuumKeepTheRowsAndDeleteReplacedFilesInAFewTasks() throws Exception {
        TableStore store = new TableStore(spark, out.toString());
        commitCorpusFiles(store, "r0", D1, 4);
        commitCorpusFiles(store, "r1", D1, 7);    // replaces r0's files
        commitCorpusFiles(store, "r2", D2, 2);
        List<Row> before = sorted(store.read(TableSchemas.CORPUS_FILES));
        Path table = out.resolve(TableSchemas.CORPUS_FILES);
        assertTrue(dataFiles(table).size() > store.read(TableSchemas.CORPUS_FILES).inputFiles().length);

        AtomicInteger tasks = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
                tasks.incrementAndGet();
            }
        };
        spark.sparkContext().addSparkListener(counter);
        spark.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
        try {
            store.compactAndVacuum(TableSchemas.CORPUS_FILES, 0);
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(counter);
            spark.conf().unset("spark.databricks.delta.retentionDurationCheck.enabled");
        }

        assertEquals(before, sorted(store.read(TableSchemas.CORPUS_FILES)));
        assertEquals(dataFiles(table).size(), store.read(TableSchemas.CORPUS_FILES).inputFiles().length,
                "only the current snapshot's files are left");
        // Delta's default listing parallelism (10,000) scheduled 10,000 tasks per table here.
        assertTrue(tasks.get() < 100, tasks.get() + " tasks");
        assertFalse(spark.conf().contains("spark.sql.sources.parallelPartitionDiscovery.parallelism"),
                "the session's settings are back as they were");
    }

    /** Vacuum honours the retention asked for, above Delta's table default of 7 days as below it. */
    @Test
    void vacuumDeletesAFileNoVersionNeedsOnlyOnceItIsOlderThanTheRetentionAsked() throws Exception {
        TableStore store = new TableStore(spark, out.toString());
        commitCorpusFiles(store, "r0", D1, 4);
        Path orphan = Files.write(out.resolve(TableSchemas.CORPUS_FILES).resolve("part-orphan.parquet"), new byte[16]);
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofHours(180))));

        store.compactAndVacuum(TableSchemas.CORPUS_FILES, 200);
        assertTrue(Files.exists(orphan), "180 h old, kept for 200 h");
        store.compactAndVacuum(TableSchemas.CORPUS_FILES, 170);
        assertFalse(Files.exists(orphan), "180 h old, kept for 170 h only");
        assertEquals(4, store.read(TableSchemas.CORPUS_FILES).count());
    }

    /** The table's Parquet files on disk, in every version's partitions (the log left out). */
    private static List<Path> dataFiles(Path table) throws IOException {
        try (var files = Files.walk(table)) {
            return files.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log")).toList();
        }
    }

    private static void commitCorpusFiles(TableStore store, String runId, String date, int rows) {
        TestRows.commit(store, TestRows.run(runId, date, RunRecord.SUCCEEDED, T0.plusSeconds(rows)),
                Map.of(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, runId, rows)));
    }

    private static List<Row> sorted(Dataset<Row> rows) {
        return rows.orderBy("path").collectAsList();
    }

    /** Name and type of every column, in order (Delta reads every column as nullable). */
    private static List<String> columns(StructType schema) {
        return Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
    }

    private static List<String> fieldNames(String table) {
        return List.of(TableSchemas.dataSchema(table).fieldNames());
    }

    private static List<String> columnNames(MessageType schema) {
        return schema.getFields().stream().map(Type::getName).toList();
    }

    private static List<Object> distinct(List<Row> rows) {
        return rows.stream().map(r -> r.get(0)).distinct().sorted().collect(Collectors.toList());
    }
}
