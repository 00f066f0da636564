package org.travelingwords.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.travelingwords.testing.SketchAssertions.assertWithinRank;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.catalog.FaultyFileSystem;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.testing.LocalSpark;

/**
 * {@code tw nightly} over a corpus that grows by a file a night: the cumulative rows of two nights equal
 * one full run over the same files; a rerun changes no table; a changed file rebuilds (or exits 2 with
 * --on-change fail); a night before the newest exits 2; a second model keeps its own lineage.
 */
class NightlyCommandTest {

    private static final Gpt2Config CONFIG = Gpt2Config.of(2, 2, 16, 50257, 32);
    /** Both analyses, with every query sampled for the promoted view (the corpus is tiny). */
    private static final String[] HEADS = {"--analyses", "sphere,heads", "--promoted-sample-rate", "1"};
    /** The aggregate tables of both analyses, each with the columns that order its rows. */
    private static final Map<String, String[]> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put(TableSchemas.SPHERE_STATS, new String[] {"layer", "site", "metric", "position_bucket"});
        KEYS.put(TableSchemas.TOKEN_TRAVEL, new String[] {"layer", "token_id"});
        KEYS.put(TableSchemas.HEAD_STATS, new String[] {"layer", "head", "metric", "position_bucket"});
        KEYS.put(TableSchemas.QK_PAIRS, new String[] {"layer", "head", "rank"});
        KEYS.put(TableSchemas.HEAD_SUBJECTS, new String[] {"layer", "head", "view", "rank"});
        KEYS.put(TableSchemas.HEAD_CLUSTERS, new String[] {"layer", "head"});
    }

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static Path model;
    private static Path otherModel;

    @BeforeAll
    static void start() throws Exception {
        spark = LocalSpark.start();
        model = dir.resolve("model");
        RandomGpt2.generate(CONFIG, 3, 0.2).writeFolder(model);
        otherModel = dir.resolve("other-model");
        RandomGpt2.generate(CONFIG, 4, 0.2).writeFolder(otherModel);
    }

    @AfterAll
    static void stop() {
        LocalSpark.stop();
    }

    private static TwOutcome tw(String... args) {
        return TwOutcome.of(args);
    }

    private static TwOutcome night(String command, Path corpus, Path out, Path modelFolder, String date, String... more) {
        return night(command, corpus, out.toString(), modelFolder, date, more);
    }

    private static TwOutcome night(String command, Path corpus, String out, Path modelFolder, String date, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--corpus", corpus.toString(), "--model",
                modelFolder.toString(), "--out", out, "--block-size", "16", "--batch-tokens", "64",
                "--partitions", "2", "--torch-threads", "1", "--run-date", date, "--no-report"));
        args.addAll(List.of(more));
        return tw(args.toArray(String[]::new));
    }

    private static void writeDocuments(Path file, String topic, int count) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("{\"text\": \"").append(topic).append(' ').append(i).append(" walks to the river and back, counting ")
                    .append(i * 7).append(" stones on the way.\"}\n");
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
    }

    @Test
    void twoNightsAddUpToOneFullRunAndARerunChangesNothing() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("grow"));
        writeDocuments(corpus.resolve("a.jsonl"), "Monday", 8);
        Path out = dir.resolve("out-nightly");
        assertEquals(0, night("nightly", corpus, out, model, "2026-01-01", HEADS).code());
        writeDocuments(corpus.resolve("b.jsonl"), "Tuesday", 6);
        assertEquals(0, night("nightly", corpus, out, model, "2026-01-02", HEADS).code());
        Path full = dir.resolve("out-full");
        assertEquals(0, night("run", corpus, full, model, "2026-01-02", HEADS).code());

        TableStore nightly = new TableStore(spark, out.toString());
        Row second = runOf(nightly, "2026-01-02");
        assertEquals("incremental: 1 new file", second.getAs("mode"));
        assertEquals(6L, (long) second.getAs("documents_read"), "the second night read only the new file");
        for (String table : KEYS.keySet()) {
            assertSameAggregates(table, scope(nightly, table, "2026-01-02", TableSchemas.SCOPE_CUMULATIVE),
                    scope(new TableStore(spark, full.toString()), table, "2026-01-02", TableSchemas.SCOPE_RUN));
        }
        assertEquals(2, scope(nightly, TableSchemas.CORPUS_FILES, "2026-01-02", TableSchemas.SCOPE_CUMULATIVE).count());
        assertEquals(1, scope(nightly, TableSchemas.CORPUS_FILES, "2026-01-02", TableSchemas.SCOPE_RUN).count());

        List<List<Object>> before = snapshot(nightly, "2026-01-02");
        assertEquals(0, night("nightly", corpus, out, model, "2026-01-02", HEADS).code(), "rerun of the newest night");
        assertSameSnapshot(before, snapshot(nightly, "2026-01-02"), "a rerun changes no table");
        assertSameAggregates(TableSchemas.SPHERE_STATS, scope(nightly, TableSchemas.SPHERE_STATS, "2026-01-02",
                TableSchemas.SCOPE_CUMULATIVE), scope(new TableStore(spark, full.toString()), TableSchemas.SPHERE_STATS,
                "2026-01-02", TableSchemas.SCOPE_RUN));

        TwOutcome early = night("nightly", corpus, out, model, "2025-12-31", HEADS);
        assertEquals(2, early.code(), early.err());
        assertTrue(early.err().contains("before lineage"), early.err());

        assertNightsInTheReport(nightly, out, runOf(nightly, "2026-01-02").getAs("run_id"));  // the rerun's

        // A second model on the same out folder: its own lineage, the first one's rows untouched.
        assertEquals(0, night("nightly", corpus, out, otherModel, "2026-01-02").code());
        assertSameSnapshot(before, snapshot(nightly, "2026-01-02", (String) second.getAs("model_id")),
                "the first lineage's rows");
        Row other = nightly.read(TableSchemas.RUNS).filter(col("model_id").notEqual(lit((String) second.getAs("model_id"))))
                .first();
        assertTrue(((String) other.getAs("mode")).startsWith("full: first night of lineage"), other.toString());
    }

    @Test
    void aChangedFileRebuildsOrFailsAsAsked() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("change"));
        writeDocuments(corpus.resolve("a.jsonl"), "Monday", 5);
        writeDocuments(corpus.resolve("b.jsonl"), "Tuesday", 5);
        Path out = dir.resolve("out-change");
        assertEquals(0, night("nightly", corpus, out, model, "2026-02-01").code());
        Files.writeString(corpus.resolve("a.jsonl"), "{\"text\": \"a late addition to an old file\"}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        TwOutcome refused = night("nightly", corpus, out, model, "2026-02-02", "--on-change", "fail");
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("a.jsonl (changed)"), refused.err());
        TableStore store = new TableStore(spark, out.toString());
        assertEquals(List.of("2026-02-01"), store.runDates(TableSchemas.RUNS), "a refused night writes nothing");

        assertEquals(0, night("nightly", corpus, out, model, "2026-02-02").code());
        Row rebuilt = runOf(store, "2026-02-02");
        assertEquals("full: 1 file changed or gone", rebuilt.getAs("mode"));
        assertEquals(11L, (long) rebuilt.getAs("documents_read"), "every current file read again");
        assertSameAggregates(TableSchemas.SPHERE_STATS,
                scope(store, TableSchemas.SPHERE_STATS, "2026-02-02", TableSchemas.SCOPE_CUMULATIVE),
                scope(store, TableSchemas.SPHERE_STATS, "2026-02-02", TableSchemas.SCOPE_RUN));
    }

    /**
     * The report's Nights section lists both nights and the drift of layer_angle per layer: the second
     * night's own median minus the first night's cumulative one, recomputed here from the tables.
     */
    private static void assertNightsInTheReport(TableStore store, Path out, String runId) throws Exception {
        assertEquals(0, tw("report", "--out", out.toString(), "--run-id", runId).code());
        String html = Files.readString(out.resolve("report").resolve("index.html"));
        assertTrue(html.contains("Nights"), "a Nights section");
        assertTrue(html.contains("incremental: 1 new file") && html.contains("full: first night of lineage"), "the nights");
        Row first = runOf(store, "2026-01-01");
        for (int layer = 0; layer < CONFIG.nLayer(); layer++) {
            double tonight = median(store, runId, TableSchemas.SCOPE_RUN, layer);
            double before = median(store, first.getAs("run_id"), TableSchemas.SCOPE_CUMULATIVE, layer);
            String delta = String.format(Locale.ROOT, "%.3g", tonight - before);
            assertTrue(html.contains("<td>" + delta + "</td>"), "layer " + layer + " layer_angle drift " + delta);
        }
    }

    private static double median(TableStore store, String runId, String scope, int layer) {
        return store.read(TableSchemas.SPHERE_STATS).where(col("run_id").equalTo(runId)
                        .and(col(TableSchemas.SCOPE).equalTo(scope)).and(col("layer").equalTo(layer))
                        .and(col("site").equalTo("resid_post")).and(col("metric").equalTo("layer_angle"))
                        .and(col("position_bucket").equalTo("all")))
                .first().getAs("p50");
    }

    @Test
    void aFailedNightLeavesTheNightBeforeAsItWasAndTheNextNightRedoesItsFiles() throws Exception {
        Path corpus = Files.createDirectories(dir.resolve("fail"));
        writeDocuments(corpus.resolve("a.jsonl"), "Monday", 5);
        String out = FaultyFileSystem.SCHEME + "://" + dir.resolve("out-fail").toAbsolutePath();
        TableStore store = new TableStore(spark, out);
        try {
            FaultyFileSystem.failAt(0);
            assertEquals(0, night("nightly", corpus, out, model, "2026-03-01").code());
            int operations = FaultyFileSystem.operations();
            List<List<Object>> before = snapshot(store, "2026-03-01");
            writeDocuments(corpus.resolve("b.jsonl"), "Tuesday", 4);

            FaultyFileSystem.failAt(operations / 2);   // in the middle of the night's commits
            assertEquals(1, night("nightly", corpus, out, model, "2026-03-02").code(), "the night fails");
            FaultyFileSystem.failAt(0);
            assertEquals("failed", runOf(store, "2026-03-02").getAs("status"));

            TwOutcome redo = night("nightly", corpus, out, model, "2026-03-02");
            assertEquals(0, redo.code(), redo.err());
            assertSameSnapshot(before, snapshot(store, "2026-03-01"), "the night before the failed one");
            Row done = runOf(store, "2026-03-02");
            assertEquals("succeeded", done.getAs("status"));
            assertEquals("incremental: 1 new file", done.getAs("mode"), "the failed night's file is read again");
            assertEquals(4L, (long) done.getAs("documents_read"));
            assertEquals(2, scope(store, TableSchemas.CORPUS_FILES, "2026-03-02", TableSchemas.SCOPE_CUMULATIVE).count());
        } finally {
            FaultyFileSystem.failAt(0);
        }
    }

    private static Row runOf(TableStore store, String date) {
        return store.read(TableSchemas.RUNS).filter(col(TableSchemas.RUN_DATE).equalTo(lit(date)))
                .orderBy(col("finished_at").desc()).first();
    }

    private static Dataset<Row> scope(TableStore store, String table, String date, String scope) {
        return store.read(table).filter(col(TableSchemas.RUN_DATE).equalTo(lit(date))
                .and(col(TableSchemas.SCOPE).equalTo(lit(scope))));
    }

    /** Every table's rows of {@code date} (of {@code modelId}, when given) without run ids, sketches and quantiles. */
    private static List<List<Object>> snapshot(TableStore store, String date, String... modelId) throws Exception {
        List<List<Object>> all = new ArrayList<>();
        for (String table : store.tables()) {
            if (table.equals(TableSchemas.RUNS)) {
                continue;
            }
            Dataset<Row> rows = store.read(table).filter(col(TableSchemas.RUN_DATE).equalTo(lit(date)));
            if (modelId.length > 0) {
                rows = rows.filter(col("model_id").equalTo(lit(modelId[0])));
            }
            rows = rows.drop("run_id");
            for (var field : rows.schema().fields()) {
                // KLL's compaction draws random bits: a rerun's sketches, states and quantiles need not be the
                // same bytes; its quantiles are checked against the full run's sketches instead.
                if (field.dataType() instanceof BinaryType || field.name().matches("p\\d\\d")) {
                    rows = rows.drop(field.name());
                }
            }
            for (Row row : rows.orderBy(java.util.Arrays.stream(rows.columns()).map(org.apache.spark.sql.functions::col)
                    .toArray(org.apache.spark.sql.Column[]::new)).collectAsList()) {
                List<Object> values = new ArrayList<>(List.of(table));
                for (int i = 0; i < row.size(); i++) {
                    values.add(row.get(i));
                }
                all.add(values);
            }
        }
        return all;
    }

    private static void assertSameSnapshot(List<List<Object>> expected, List<List<Object>> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ": row " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": rows");
    }

    /**
     * Same keys; counts, min and max exact; moments to 1e-9 relative (only the merge order differs), fp32 scores to 1e-6;
     * quantiles within the rank error of the other side's sketch.
     */
    private static void assertSameAggregates(String table, Dataset<Row> actual, Dataset<Row> expected) {
        String[] keys = KEYS.get(table);
        List<Row> left = actual.orderBy(keys[0], java.util.Arrays.copyOfRange(keys, 1, keys.length)).collectAsList();
        List<Row> right = expected.orderBy(keys[0], java.util.Arrays.copyOfRange(keys, 1, keys.length)).collectAsList();
        assertEquals(right.size(), left.size(), table + " rows");
        assertTrue(left.size() > 0, table + " is empty");
        for (int i = 0; i < left.size(); i++) {
            Row l = left.get(i);
            Row r = right.get(i);
            for (String field : l.schema().fieldNames()) {
                if (List.of("run_id", "scope", "sketch", TableSchemas.RUN_DATE).contains(field)) {
                    continue;
                }
                Object x = l.getAs(field);
                Object y = r.getAs(field);
                if (field.matches("p\\d\\d")) {
                    assertWithinRank(r.getAs("sketch"), Integer.parseInt(field.substring(1)) / 100.0, (Double) x,
                            table + " " + field + " of " + l);
                } else if (x instanceof Double dx && y instanceof Double dy && !field.equals("min") && !field.equals("max")) {
                    // Moments are double sums: 1e-9. Mean-view scores and what clusters them are products of the
                    // summed writes with E done in fp32 on the model's device: fp32's own rounding, 1e-6.
                    double relative = table.equals(TableSchemas.HEAD_SUBJECTS) || table.equals(TableSchemas.HEAD_CLUSTERS)
                            ? 1e-6 : 1e-9;
                    assertEquals(dy, dx, relative * Math.max(1, Math.abs(dy)), table + " " + field + " of " + l);
                } else {
                    assertEquals(y, x, table + " " + field + " of " + l);
                }
            }
        }
    }
}
