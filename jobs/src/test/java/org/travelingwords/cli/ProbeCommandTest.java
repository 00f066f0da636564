package org.travelingwords.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
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
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.probejob.NounList;
import org.travelingwords.probes.HeadWeights;
import org.travelingwords.probes.ProbeSpace;
import org.travelingwords.probes.QkProbe;
import org.travelingwords.testing.LocalSpark;
import picocli.CommandLine;

/**
 * {@code tw probe} end to end on Spark, on a 2-block model with GPT-2's full vocabulary and the
 * shipped noun list: every probe table with its exact schema and row count, the ledger row, the
 * report, and numbers equal to the common-level probes (the distribution changes nothing).
 */
class ProbeCommandTest {

    private static final Path NOUNS = Path.of("..", "conf", "common-nouns.txt");
    private static final int HEADS = 2;
    private static final int BLOCKS = 2;        // the default blocks of a 2-block model: 0 and 1
    private static final int K = 5;

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Gpt2Weights weights;
    private static Path out;
    private static NounList nouns;

    @BeforeAll
    static void runProbe() throws Exception {
        spark = LocalSpark.start();
        weights = RandomGpt2.generate(Gpt2Config.of(BLOCKS, HEADS, 16, 50257, 32), 11, 0.2);
        Path model = dir.resolve("model");
        weights.writeFolder(model);
        out = dir.resolve("out");
        nouns = NounList.read(NOUNS, 50257);
        int code = new CommandLine(new ProbeCommand()).execute("--model", model.toString(), "--out", out.toString(),
                "--nouns", NOUNS.toString(), "--run-date", "2026-11-28", "--run-id", "probe-1");
        assertEquals(0, code);
    }

    @AfterAll
    static void stopSpark() {
        LocalSpark.stop();
    }

    @Test
    void nounsAreSingleTokensWrittenWithoutALeadingSpace() {
        assertTrue(nouns.ids().length >= 80, "most common nouns are one GPT-2 token: " + nouns.skipped());
        assertEquals(100, nouns.ids().length + nouns.skipped().size());
        assertEquals(2435, nouns.ids()[0], "'time' without a leading space");
    }

    @Test
    void everyProbeTableHasItsSchemaAndRowCount() throws Exception {
        TableStore store = new TableStore(spark, out.toString());
        int n = nouns.ids().length;
        int svdRanks = Math.min(20, 16 / HEADS);
        List<Object[]> expected = List.of(
                new Object[] {TableSchemas.EMBEDDING_NORMS, 50257L},
                new Object[] {TableSchemas.EMBEDDING_LN_DISTANCE, 4L},
                new Object[] {TableSchemas.PROBE_QK, (long) BLOCKS * HEADS * n * K},
                new Object[] {TableSchemas.PROBE_VO, (long) BLOCKS * (HEADS + 1) * n * K},
                new Object[] {TableSchemas.HEAD_SVD, (long) BLOCKS * HEADS * 2 * svdRanks},
                new Object[] {TableSchemas.BIAS_PROBE, (long) BLOCKS * HEADS * 2 * 2 * K});
        for (Object[] table : expected) {
            String name = (String) table[0];
            Dataset<Row> rows = store.read(name);
            assertEquals(TableSchemas.schema(name), rows.schema(), name);
            assertEquals(table[1], rows.count(), name);
            assertEquals(1, rows.select("run_id", "model_id", "run_date").distinct().count(), name);
        }
        Dataset<Row> norms = store.read(TableSchemas.EMBEDDING_NORMS);
        assertEquals(50257, norms.select("rank_scaled_norm_plus_bias").distinct().count(), "ranks are a permutation");
        assertEquals(0L, norms.where("token_id = 2435 AND token <> 'time'").count(), "token text beside the id");

        Row run = store.read(TableSchemas.RUNS).first();
        assertEquals("succeeded", run.getAs("status"));
        assertEquals(0L, (long) run.getAs("documents_read"));
        assertTrue(((String) run.getAs("config_json")).contains("\"command\":\"probe\""));
    }

    @Test
    void tablesHoldWhatTheProbesComputeOnTheDriver() throws Exception {
        int[] firstNoun = {nouns.ids()[0]};
        List<QkProbe.Hit> direct;
        try (ProbeSpace space = ProbeSpace.open(weights, Device.cpu())) {
            direct = QkProbe.run(space, HeadWeights.of(weights, 1, 1), firstNoun, K);
        }
        List<Row> rows = new TableStore(spark, out.toString()).read(TableSchemas.PROBE_QK)
                .where("block = 1 AND head = 1 AND query_token_id = " + firstNoun[0]).orderBy("rank").collectAsList();
        assertEquals(K, rows.size());
        for (int r = 0; r < K; r++) {
            assertEquals(direct.get(r).keyTokenId(), (int) rows.get(r).getAs("key_token_id"));
            assertEquals(direct.get(r).score(), (double) rows.get(r).getAs("score"), 1e-12 * Math.abs(direct.get(r).score()));
        }
    }

    @Test
    void reportListsEveryBlockNounAndHead() throws Exception {
        String report = Files.readString(out.resolve("probe-reports").resolve("probe-1").resolve("probe-report.txt"));
        assertTrue(report.contains("block 0") && report.contains("block 1"), report.substring(0, 400));
        assertTrue(report.contains("'time'"));
        assertTrue(report.contains("head  1: ") && report.contains("sum     (‖update‖"));
        assertTrue(report.contains("scaled_norm_plus_bias"));
        for (String skipped : nouns.skipped()) {
            assertTrue(report.contains(skipped), "skipped noun listed: " + skipped);
        }
    }

    @Test
    void refusesBlocksTheModelDoesNotHave() {
        int code = new CommandLine(new ProbeCommand()).execute("--model", dir.resolve("model").toString(),
                "--out", dir.resolve("bad").toString(), "--nouns", NOUNS.toString(), "--blocks", "0,5");
        assertNotEquals(0, code);
    }
}
