package org.travelingwords.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.testing.LocalSpark;

class CatalogTest {

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
    void latestViewsHoldOnlyTheNewestSuccessfulRunThatWroteTheTable() throws IOException {
        TableStore store = new TableStore(spark, out.toString());
        succeed(store, "r1", "2026-11-01", T0, 3);
        succeed(store, "r2", "2026-11-02", T0.plusSeconds(86_400), 2);
        // A backfill of an older date that finished before r2: newer date, but not the newest finish.
        succeed(store, "r0", "2026-10-31", T0.plusSeconds(60), 4);
        // The newest run failed: it must not become the latest.
        TestRows.commit(store, TestRows.run("r3", "2026-11-03", RunRecord.FAILED, T0.plusSeconds(2 * 86_400)),
                Map.of(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, "r3", 5)));
        // The newest success wrote rejects only (as tw probe writes only its own tables): other tables keep r2.
        TestRows.commit(store, TestRows.run("p4", "2026-11-04", RunRecord.SUCCEEDED, T0.plusSeconds(3 * 86_400)),
                Map.of(TableSchemas.REJECTS, TestRows.of(spark, TableSchemas.REJECTS, "p4", 1)));

        List<String> views = new Catalog(spark, out.toString()).registerViews();

        assertEquals(List.of("corpus_files", "rejects", "runs", "corpus_files_latest", "rejects_latest", "runs_latest"), views);
        assertEquals(9, spark.table("corpus_files").count());
        assertEquals(List.of("r2"), runIds("SELECT DISTINCT run_id FROM corpus_files_latest"));
        assertEquals(2, spark.table("corpus_files_latest").count());
        assertEquals(List.of("p4"), runIds("SELECT DISTINCT run_id FROM rejects_latest"));
        assertEquals(List.of("p4"), runIds("SELECT run_id FROM runs_latest"));
        assertEquals(5, spark.table("runs").count());
        assertEquals("string", spark.table("corpus_files_latest").schema().apply("run_date").dataType().simpleString());
        // Tables nobody wrote are simply absent.
        assertFalse(spark.catalog().tableExists("sphere_stats"));
        assertFalse(spark.catalog().tableExists("sphere_stats_latest"));
        assertTrue(spark.catalog().tableExists("runs_latest"));
    }

    @Test
    void anEmptyOutFolderRegistersNothing() throws IOException {
        assertEquals(List.of(), new Catalog(spark, out.resolve("missing").toString()).registerViews());
    }

    private static void succeed(TableStore store, String runId, String date, Instant finished, int rows) throws IOException {
        TestRows.commit(store, TestRows.run(runId, date, RunRecord.SUCCEEDED, finished),
                Map.of(TableSchemas.CORPUS_FILES, TestRows.of(spark, TableSchemas.CORPUS_FILES, runId, rows),
                        TableSchemas.REJECTS, TestRows.of(spark, TableSchemas.REJECTS, runId, 1)));
    }

    private static List<String> runIds(String sql) {
        return spark.sql(sql).collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
    }
}
