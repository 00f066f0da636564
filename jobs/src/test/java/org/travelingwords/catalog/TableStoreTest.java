package org.travelingwords.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
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
        StagedRun run = store.begin("r1", D1);
        List<String> staged = new ArrayList<>(TableSchemas.tables());
        staged.remove(TableSchemas.RUNS);
        for (String table : staged) {
            run.stage(table, TestRows.of(spark, table, "r1", 3));
        }
        assertEquals(List.of(), store.tables(), "nothing is visible before commit");
        run.finish(TestRows.run("r1", D1, RunRecord.SUCCEEDED, T0));

        assertEquals(TableSchemas.tables().stream().sorted().toList(), store.tables());
        for (String table : staged) {
            var rows = store.read(table);
            assertEquals(TableSchemas.schema(table), rows.schema(), table);
            assertEquals(3, rows.count(), table);
            assertEquals(List.of(D1), distinct(rows.select("run_date").collectAsList()), table);
            assertEquals(List.of("r1"), distinct(rows.select("run_id").collectAsList()), table);
        }
        var runs = store.read(TableSchemas.RUNS);
        assertEquals(TableSchemas.schema(TableSchemas.RUNS), runs.schema());
        Row ledger = runs.collectAsList().get(0);
        assertEquals("succeeded", ledger.getAs("status"));
        assertNull(ledger.getAs("error"));
        assertEquals(D1, ledger.getAs("run_date"));
        assertEquals(List.of("/corpus/a.txt", "/corpus/b.jsonl"), ledger.getList(ledger.fieldIndex("corpus_paths")));
        assertEquals(java.sql.Timestamp.from(T0), ledger.getAs("finished_at"));
        assertFalse(Files.exists(out.resolve("_staging")), "staging is removed after commit");
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
    void failedRunLeavesTablesByteForByteIntactAndRecordsTheError() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        commitCorpusFiles(store, "r1", D1, 3);
        Map<String, String> before = fileHashes(out);

        StagedRun failing = store.begin("r2", D1);
        failing.stage(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, "r2", 5));
        assertEquals(List.of("r1"), distinct(store.read(TableSchemas.CORPUS_FILES).select("run_id").collectAsList()),
                "staged rows are invisible");
        // ... the run dies before staging its next table:
        failing.finish(TestRows.run("r2", D1, RunRecord.FAILED, T0.plusSeconds(3600)));

        Map<String, String> after = fileHashes(out);
        for (Map.Entry<String, String> file : before.entrySet()) {
            assertEquals(file.getValue(), after.get(file.getKey()), file.getKey() + " changed");
        }
        List<String> added = after.keySet().stream().filter(f -> !before.containsKey(f)).toList();
        assertEquals(List.of("runs/run_date=2026-11-01/.r2.parquet.crc", "runs/run_date=2026-11-01/r2.parquet"), added);
        assertFalse(Files.exists(out.resolve("_staging")));

        Row failed = store.read(TableSchemas.RUNS).where("run_id = 'r2'").first();
        assertEquals("failed", failed.getAs("status"));
        assertEquals("boom: simulated failure", failed.getAs("error"));
        assertThrows(IllegalStateException.class,
                () -> failing.stage(TableSchemas.REJECTS, TestRows.of(spark, TableSchemas.REJECTS, "r2", 1)));
    }

    @Test
    void rowsThatDoNotMatchTheSchemaAreRefused() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        StagedRun run = store.begin("r1", D1);
        var wrong = TestRows.of(spark, TableSchemas.CORPUS_FILES, "r1", 1)
                .withColumn("bytes", functions.col("bytes").cast("int"))
                .drop("format")
                .withColumn("extra", functions.lit(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run.stage(TableSchemas.CORPUS_FILES, wrong));
        assertTrue(e.getMessage().contains("bytes is int, expected bigint"), e.getMessage());
        assertTrue(e.getMessage().contains("missing format string"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected extra int"), e.getMessage());
        // Column order does not matter.
        var reordered = TestRows.of(spark, TableSchemas.CORPUS_FILES, "r1", 1).select("path", "run_id", "model_id",
                "rejects", "documents", "bytes", "format");
        run.stage(TableSchemas.CORPUS_FILES, reordered);
        assertThrows(IllegalArgumentException.class, () -> store.begin("bad id:1", D1));
        assertThrows(IllegalArgumentException.class, () -> store.begin("r1", "2026-13-01"));
    }

    @Test
    void filesAreReadableByPlainParquetHadoop() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        commitCorpusFiles(store, "r1", D1, 7);
        Configuration conf = new Configuration();

        List<Path> parts;
        try (Stream<Path> files = Files.list(out.resolve("corpus_files/run_date=" + D1))) {
            parts = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        }
        long rows = 0;
        for (Path part : parts) {
            try (ParquetFileReader reader = ParquetFileReader.open(
                    HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(part.toUri()), conf))) {
                assertEquals(fieldNames(TableSchemas.CORPUS_FILES), columnNames(reader.getFooter().getFileMetaData().getSchema()));
                rows += reader.getRecordCount();
            }
        }
        assertEquals(7, rows);

        Path ledger = out.resolve("runs/run_date=" + D1 + "/r1.parquet");
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(ledger.toUri()), conf))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            assertEquals(fieldNames(TableSchemas.RUNS), columnNames(schema));
            assertEquals(1, reader.getRecordCount());
            // Standard INT64 timestamps, not Spark's legacy INT96.
            assertEquals(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS),
                    schema.getType("started_at").getLogicalTypeAnnotation());
        }
    }

    private static void commitCorpusFiles(TableStore store, String runId, String date, int rows) throws IOException {
        StagedRun run = store.begin(runId, date);
        run.stage(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, runId, rows));
        run.finish(TestRows.run(runId, date, RunRecord.SUCCEEDED, T0.plusSeconds(rows)));
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

    /** Relative path to SHA-256 of every file under the folder. */
    static Map<String, String> fileHashes(Path root) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                hashes.put(root.relativize(file).toString(), sha256(file));
            }
        }
        return hashes;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
