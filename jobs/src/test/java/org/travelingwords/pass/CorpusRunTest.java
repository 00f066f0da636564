package org.travelingwords.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.analyses.AnalysisRegistry;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.corpus.CorpusOptions;
import org.travelingwords.exec.DriverModel;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.pass.WindowSettings;
import org.travelingwords.sphere.SphereOptions;
import org.travelingwords.testing.LocalSpark;

/**
 * The whole run on a tiny full-vocabulary model: the ledger adds up, a rerun of a date replaces
 * it while other dates stay, and a failed run leaves every table as it was and says why.
 */
class CorpusRunTest {

    private static SparkSession spark;
    @TempDir
    static Path dir;
    private static Path model;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.start();
        model = dir.resolve("model");
        RandomGpt2.generate(Gpt2Config.of(2, 2, 16, 50257, 32), 5, 0.2).writeFolder(model);
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop();
    }

    private static Path corpus(String name, int documents, String... bad) throws IOException {
        Path file = dir.resolve(name);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < documents; i++) {
            lines.append("{\"text\": \"Document ").append(i).append(" talks about rivers and mountains, then about ")
                    .append("bread and cheese, for a while, number ").append(i * 7).append(".\"}\n");
        }
        for (String b : bad) {
            lines.append(b).append('\n');
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static RunConfig config(Path corpus, String modelPath, String date, Path out) {
        return new RunConfig(new CorpusOptions(List.of(corpus.toString()), null, "text", null, 1000),
                new ModelSettings(modelPath, "cpu", 1, "fp32"), new WindowSettings(0, 0, true, 3, 256),
                AnalysisRegistry.of(List.of("sphere"), new AnalysisRegistry.Options(new SphereOptions(0.2, false), null)),
                date, out.toString());
    }

    private static long rows(Path out, String table, String where) {
        return spark.read().format("delta").load(out.resolve(table).toString()).where(where).count();
    }

    @Test
    void ledgerAddsUpAndTablesAreWritten() throws Exception {
        Path out = dir.resolve("out-ledger");
        Path corpus = corpus("ledger.jsonl", 20, "not json", "{\"text\": \"\"}", "{\"text\": 5}");
        RunRecord run = new CorpusRun(spark, config(corpus, model.toString(), "2026-01-01", out), "r1", "test").run();
        assertEquals(RunRecord.SUCCEEDED, run.status());
        assertEquals(23, run.documentsRead());
        assertEquals(20, run.documentsProcessed());
        assertEquals(3, run.documentsRejected());
        assertEquals(run.documentsRead(), run.documentsProcessed() + run.documentsRejected());
        assertTrue(run.windows() >= 20 && run.tokens() > 20 * 20, run.toString());
        Dataset<Row> stats = spark.read().format("delta").load(out.resolve("sphere_stats").toString());
        long tokensAtLayer0 = stats.where("layer = 0 AND site = 'resid_pre' AND metric = 'norm'"
                + " AND position_bucket <> 'all'").groupBy().sum("count").first().getLong(0);
        assertEquals(run.tokens(), tokensAtLayer0, "every token is counted once per key");
        assertEquals(3, rows(out, "rejects", "run_id = 'r1'"));
        assertEquals(1, rows(out, "corpus_files", "documents = 20 AND rejects = 3"));
        assertTrue(rows(out, "token_travel", "layer = 1") > 10);
        assertTrue(rows(out, "token_samples", "true") > 0);
        assertEquals(1, rows(out, "runs", "status = 'succeeded' AND documents_read = 23"));
        assertEquals(1, run.modelLoads(), "local mode: one executor JVM, one load");
        assertEquals(1, run.executors().size());
        assertTrue(run.executors().get(0).endsWith(":" + ProcessHandle.current().pid()), run.executors().toString());
    }

    @Test
    void rerunReplacesItsDateAndFailedRunChangesNothing() throws Exception {
        Path out = dir.resolve("out-rerun");
        new CorpusRun(spark, config(corpus("a.jsonl", 5), model.toString(), "2026-02-01", out), "a1", "test").run();
        // A model described before the run (tw run's preflight) is taken as it is, not described again.
        DriverModel described = new DriverModel("described@0123456789ab", DriverModel.describe(model.toString()).config());
        new CorpusRun(spark, config(corpus("b.jsonl", 7), model.toString(), "2026-02-02", out), "b1", "test").run(described);
        assertEquals(1, rows(out, "runs", "run_id = 'b1' AND model_id = 'described@0123456789ab'"));
        new CorpusRun(spark, config(corpus("c.jsonl", 9), model.toString(), "2026-02-01", out), "c1", "test").run();
        assertEquals(0, rows(out, "sphere_stats", "run_id = 'a1'"), "the rerun replaced its date");
        assertTrue(rows(out, "sphere_stats", "run_id = 'b1'") > 0, "other dates stay");
        assertTrue(rows(out, "sphere_stats", "run_id = 'c1' AND run_date = '2026-02-01'") > 0);
        long before = rows(out, "sphere_stats", "true");

        RunConfig broken = config(corpus("d.jsonl", 3), dir.resolve("no-such-model").toString(), "2026-02-01", out);
        assertThrows(Exception.class, () -> new CorpusRun(spark, broken, "d1", "test").run());
        assertEquals(before, rows(out, "sphere_stats", "true"));
        assertEquals(0, rows(out, "sphere_stats", "run_id = 'd1'"));
        Row failed = spark.read().format("delta").load(out.resolve("runs").toString()).where("run_id = 'd1'").first();
        assertEquals("failed", failed.getAs("status"));
        assertTrue(((String) failed.getAs("error")).contains("no-such-model"), failed.toString());
        assertEquals(4, rows(out, "runs", "true"), "the ledger keeps every run, failed ones too");
        assertTrue(Files.list(out).noneMatch(p -> p.getFileName().toString().startsWith("_staging")
                && p.toFile().list() != null && p.toFile().list().length > 0), "no staging left behind");
    }
}
