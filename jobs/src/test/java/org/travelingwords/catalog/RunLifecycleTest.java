package org.travelingwords.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.cluster.JavaCommand;
import org.travelingwords.testing.LocalSpark;

/**
 * A run is all of its tables or none of them (DESIGN §7), whatever fails and wherever: every write,
 * rename or delete of the commit phase made to fail in turn, a driver that halts between commits, a
 * job Spark aborts. After each, every table's full contents (all rows) equal those before the run,
 * and the ledger says the run failed.
 */
class RunLifecycleTest {

    static final String D1 = "2026-11-01";
    private static final List<String> TABLES = List.of(TableSchemas.CORPUS_FILES, TableSchemas.REJECTS,
            TableSchemas.SPHERE_STATS);

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stopSpark() {
        FaultyFileSystem.failAt(0);
        LocalSpark.stop();
    }

    /** A run's work: three tables of {@code rows} synthetic rows each. */
    static RunLifecycle.Work<Void> threeTables(SparkSession spark, String runId, int rows) {
        return (tables, record) -> {
            record.model(TestRows.MODEL);
            for (String table : TABLES) {
                tables.stage(table, TestRows.of(spark, table, runId, rows));
            }
            return null;
        };
    }

    @Test
    void everyFailedOperationOfTheCommitPhaseLeavesTheTablesAsTheyWere() throws Exception {
        // How many file operations a run makes, counted on a folder in the same state.
        String counted = faulty("counted");
        run(counted, "r1", 3);
        FaultyFileSystem.failAt(0);
        run(counted, "r2", 4);
        int operations = FaultyFileSystem.operations();
        assertTrue(operations > 10, operations + " operations");

        String out = faulty("out");
        run(out, "r1", 3);
        TableStore store = new TableStore(spark, out);
        Map<String, List<String>> before = contents(store);
        List<Integer> tried = new ArrayList<>();
        for (int n = 1; n <= operations; n += Math.max(1, operations / 7)) {
            String runId = "f" + n;
            FaultyFileSystem.failAt(n);
            assertThrows(Exception.class, () -> run(out, runId, 4), "operation " + n + " of " + operations);
            FaultyFileSystem.failAt(0);
            RunLifecycle.recoverUnfinished(store);          // what the next writer does first
            assertSameTables(before, contents(store), "failure at operation " + n);
            assertEquals("failed", status(store, runId), "failure at operation " + n);
            tried.add(n);
        }
        assertTrue(tried.size() >= 7, "tried " + tried);
        assertFalse(Files.exists(dir.resolve("out").resolve("_journal").resolve("f1.json")));
    }

    @Test
    void aDriverHaltedBetweenCommitsIsRolledBackByTheNextWriter() throws Exception {
        String out = dir.resolve("out").toString();
        run(out, "r1", 3);
        TableStore store = new TableStore(spark, out);
        Map<String, List<String>> before = contents(store);
        // Halted after its second of three commits: two tables to restore, one to leave as it is (one JVM of its
        // own, ~45 s on 2 cores; a halt after the first commit adds no case to these two).
        List<String> command = new ArrayList<>(JavaCommand.base());
        command.addAll(List.of("-D" + RunLifecycle.HALT_AFTER_COMMITS + "=2", "-cp",
                System.getProperty("java.class.path"), HaltingRun.class.getName(), out, "h2"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("halt.log").toFile()).start();
        assertEquals(137, child.waitFor(), "the driver halts after commit 2");
        Map<String, List<String>> halted = contents(store);
        for (int k = 0; k < TABLES.size(); k++) {
            assertEquals(k < 2, halted.get(TABLES.get(k)).toString().contains("h2"), "commit " + (k + 1) + " of the halted run");
        }

        new RunLifecycle(spark, out, new RunStamp("next", "2026-11-09"), "test", "test").run((t, r) -> null);
        assertSameTables(before, contents(store), "halt after commit 2");
        assertEquals("failed", status(store, "h2"));
        String error = store.read(TableSchemas.RUNS).where("run_id = 'h2'").first().getAs("error");
        assertTrue(error.startsWith("driver lost"), error);
    }

    @Test
    void aJobSparkAbortsIsRecordedFailedAndChangesNoTable() throws Exception {
        String out = dir.resolve("out").toString();
        run(out, "r1", 3);
        TableStore store = new TableStore(spark, out);
        Map<String, List<String>> before = contents(store);
        Exception e = assertThrows(Exception.class, () -> new RunLifecycle(spark, out, new RunStamp("abort", D1), "test",
                "test").run((tables, record) -> {
                    record.model(TestRows.MODEL);
                    tables.stage(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, "abort", 4));
                    Dataset<Row> failing = TestRows.of(spark, TableSchemas.REJECTS, "abort", 4);
                    tables.stage(TableSchemas.REJECTS, spark.createDataFrame(failing.javaRDD().map(row -> {
                        throw new IllegalStateException("executor-side failure");
                    }), failing.schema()));
                    return null;
                }));
        assertTrue(e.getClass().getName().contains("Spark") || e.getCause() != null, e.toString());
        assertSameTables(before, contents(store), "Spark abort");
        Row failed = store.read(TableSchemas.RUNS).where("run_id = 'abort'").first();
        assertEquals("failed", failed.getAs("status"));
        assertFalse(Files.exists(dir.resolve("out").resolve("_journal").resolve("abort.json")), "no journal left");
    }

    @Test
    void rerunningADateTwiceGivesIdenticalTables() throws Exception {
        String out = dir.resolve("out").toString();
        TableStore store = new TableStore(spark, out);
        run(out, "a", 3);
        run(out, "b", 3);
        Map<String, List<String>> first = contents(store, "run_id");
        run(out, "c", 3);
        assertSameTables(first, contents(store, "run_id"), "rerun of " + D1);
        assertEquals(List.of("a", "b", "c"), store.read(TableSchemas.RUNS).orderBy("run_id").select("run_id")
                .as(Encoders.STRING()).collectAsList());
    }

    @Test
    void aReaderSeesEachTableWholeAtTheOldOrTheNewVersionWhileARunCommits() throws Exception {
        String out = dir.resolve("out").toString();
        run(out, "old", 3);
        TableStore store = new TableStore(spark, out);
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                List<Row> rows = store.read(TableSchemas.CORPUS_FILES).where("run_date = '" + D1 + "'")
                        .select("run_id").collectAsList();
                seen.add(rows.size() + ":" + rows.stream().map(r -> r.getString(0)).distinct().sorted().toList());
            }
        });
        reader.start();
        try {
            run(out, "new", 5);
        } finally {
            done.set(true);
            reader.join();
        }
        assertFalse(seen.isEmpty());
        for (String observation : seen) {
            assertTrue(observation.equals("3:[old]") || observation.equals("5:[new]"), observation);
        }
    }

    @Test
    void aTableWritesPastItsCheckpointsAndTravelsBackInTime() throws Exception {
        // Delta is tied to the Spark release it was built for; a wrong pair breaks at the first checkpoint read.
        String out = dir.resolve("out").toString();
        TableStore store = new TableStore(spark, out);
        for (int day = 1; day <= 12; day++) {
            String date = String.format("2026-12-%02d", day);
            store.commit(TableSchemas.REJECTS, TestRows.of(spark, TableSchemas.REJECTS, "d" + day, day), "d" + day, date, TestRows.MODEL, 1);
        }
        try (var log = Files.list(dir.resolve("out").resolve(TableSchemas.REJECTS).resolve("_delta_log"))) {
            assertTrue(log.anyMatch(f -> f.getFileName().toString().endsWith(".checkpoint.parquet")), "a checkpoint was written");
        }
        assertEquals(11, store.version(TableSchemas.REJECTS));
        assertEquals(78, store.read(TableSchemas.REJECTS).count());
        assertEquals(6, store.read(TableSchemas.REJECTS, 2).count());
        store.restore(TableSchemas.REJECTS, 4);
        assertEquals(15, store.read(TableSchemas.REJECTS).count());
        assertEquals(12, store.version(TableSchemas.REJECTS));
    }

    private String faulty(String name) {
        return FaultyFileSystem.SCHEME + "://" + dir.resolve(name).toAbsolutePath();
    }

    private static void run(String out, String runId, int rows) throws Exception {
        new RunLifecycle(spark, out, new RunStamp(runId, D1), "test", "test").run(threeTables(spark, runId, rows));
    }

    private static String status(TableStore store, String runId) {
        return store.read(TableSchemas.RUNS).where("run_id = '" + runId + "'").first().getAs("status");
    }

    /** Every table's rows as sorted strings, without the columns named. */
    private static Map<String, List<String>> contents(TableStore store, String... without) throws IOException {
        Map<String, List<String>> contents = new TreeMap<>();
        for (String table : store.tables()) {
            if (!table.equals(TableSchemas.RUNS)) {
                Dataset<Row> rows = store.read(table).drop(without);
                for (StructField field : rows.schema().fields()) {
                    if (field.dataType() instanceof BinaryType) {   // compared by content, not by array identity
                        rows = rows.withColumn(field.name(), functions.hex(functions.col(field.name())));
                    }
                }
                contents.put(table, rows.map((MapFunction<Row, String>) row -> row.toString(), Encoders.STRING())
                        .collectAsList().stream().sorted().toList());
            }
        }
        return contents;
    }

    private static void assertSameTables(Map<String, List<String>> expected, Map<String, List<String>> actual,
                                         String when) {
        assertEquals(expected.keySet(), actual.keySet(), when);
        expected.forEach((table, rows) -> assertEquals(rows, actual.get(table), when + ": " + table));
    }
}
