package org.travelingwords.sphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllFloatsSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.analyses.AnalysisRegistry;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.catalog.TableStore;
import org.travelingwords.corpus.CorpusOptions;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.geometry.SiteMetrics;
import org.travelingwords.geometry.SphereAnalysis;
import org.travelingwords.geometry.SphereMetric;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.ModelResolver;
import org.travelingwords.model.TokenBatch;
import org.travelingwords.pass.CorpusRun;
import org.travelingwords.pass.RunConfig;
import org.travelingwords.pass.WindowSettings;
import org.travelingwords.sphere.SphereOptions;
import org.travelingwords.stats.MetricSummary;
import org.travelingwords.testing.LocalSpark;
import org.travelingwords.text.Gpt2Tokenizer;
import org.travelingwords.text.TokenText;
import org.travelingwords.text.Windows;

/**
 * The sphere job end to end against golden/sphere/, written by tools/make_golden.py: an
 * independent float64 PyTorch reference of every DESIGN §4 per-token metric, aggregated like
 * sphere_stats and token_travel, on a 2-layer model with GPT-2's vocabulary and a 30-document corpus
 * (36 windows of block 64, 2 skipped 1-token windows). The same corpus is run with 1, 3 and 7
 * partitions, which must not change the statistics.
 */
class SphereGoldenTest {

    /** Fixtures live with the other goldens in common; surefire runs in jobs/. */
    private static final Path GOLDEN = Path.of("..", "common", "src", "test", "resources", "golden", "sphere")
            .toAbsolutePath().normalize();
    private static final String RUN_DATE = "2026-11-02";
    private static final int[] PARTITIONS = {1, 3, 7};
    /** The run compared with the golden; the others are compared with it. */
    private static final int REFERENCE_P = 3;
    private static final double[] QUANTILE_RANKS = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};
    private static final String[] QUANTILE_COLUMNS = {"p01", "p05", "p25", "p50", "p75", "p95", "p99"};

    private static final String[] TRAVEL_MEANS = {"mean_norm", "mean_layer_angle", "mean_embed_angle", "mean_log_ratio"};

    private static SparkSession spark;
    private static final Map<Integer, TableStore> STORES = new TreeMap<>();
    private static final Map<Integer, RunRecord> RECORDS = new TreeMap<>();

    @TempDir
    static Path out;

    @BeforeAll
    static void runTheCorpusWithEachPartitionCount() throws Exception {
        spark = LocalSpark.start();
        for (int p : PARTITIONS) {
            String folder = out.resolve("p" + p).toString();
            RunConfig config = new RunConfig(
                    new CorpusOptions(List.of(GOLDEN.resolve("documents.jsonl").toString()), "jsonl", "text", "id", 1_000_000),
                    new ModelSettings(GOLDEN.resolve("tiny-vocab").toString(), "cpu", 0, "fp32"),
                    new WindowSettings(64, 64, false, p, 512),
                    AnalysisRegistry.of(List.of("sphere"), new AnalysisRegistry.Options(new SphereOptions(0.05, true), null)),
                    RUN_DATE, folder);
            RECORDS.put(p, new CorpusRun(spark, config, "golden-p" + p, "test").run());
            STORES.put(p, new TableStore(spark, folder));
        }
    }

    @AfterAll
    static void stopSpark() {
        LocalSpark.stop();
    }

    /**
     * Every token_samples row carries its token's own metrics: each sampled window is run again alone
     * through the sphere analysis (rows of a batch are independent, DESIGN §2) and every metric column
     * compared with the value of its (layer, site) at the row's position.
     */
    @Test
    void tokenSamplesCarryEachTokensMetrics() throws IOException {
        List<Row> samples = STORES.get(REFERENCE_P).read(TableSchemas.TOKEN_SAMPLES).collectAsList();
        assertTrue(samples.size() > 20, "too few samples to test: " + samples.size());
        Map<String, String> texts = new TreeMap<>();
        for (String line : Files.readAllLines(GOLDEN.resolve("documents.jsonl"), StandardCharsets.UTF_8)) {
            var doc = JsonParser.parseString(line).getAsJsonObject();
            texts.put(doc.get("id").getAsString(), doc.get("text").getAsString());
        }
        try (HookedGpt2 model = HookedGpt2.load(ModelResolver.fromEnvironment()
                .resolve(GOLDEN.resolve("tiny-vocab").toString()).readWeights(), Device.cpu());
             NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SphereAnalysis sphere = new SphereAnalysis(model, true);
            Map<String, Map<String, SiteMetrics>> byWindow = new TreeMap<>();
            for (Row sample : samples) {
                String window = sample.getAs("doc_id") + "#" + sample.getAs("window_idx");
                int[] tokens = Windows.cut(Gpt2Tokenizer.get().encode(texts.get((String) sample.getAs("doc_id"))), 64, 64,
                        false).windows().get(sample.getAs("window_idx"));
                Map<String, SiteMetrics> sites = byWindow.computeIfAbsent(window, w -> {
                    Map<String, SiteMetrics> metrics = new TreeMap<>();
                    sphere.run(TokenBatch.of(new int[][] {tokens}), scope,
                            m -> metrics.put(m.layer() + "/" + m.site().label(), m));
                    return metrics;
                });
                int position = sample.getAs("position");
                assertEquals(tokens[position], (int) sample.getAs("token_id"), window);
                assertEquals(TokenText.of(tokens[position]), sample.getAs("token"), window);
                SiteMetrics site = sites.get(sample.getAs("layer") + "/" + sample.getAs("site"));
                for (SphereMetric metric : SphereMetric.values()) {
                    float[] values = site.valuesOf(metric);
                    Double actual = sample.getAs(metric.label());
                    String where = window + " position " + position + " " + site.layer() + "/" + site.site().label()
                            + " " + metric.label();
                    if (values == null || Float.isNaN(values[position])) {
                        assertEquals(null, actual, where);
                    } else {
                        assertEquals(values[position], actual, 1e-4 * Math.max(1, Math.abs(values[position])), where);
                    }
                }
            }
        }
    }

    @Test
    void sphereStatsMatchTheReference() throws IOException {
        Map<String, Row> actual = byKey(STORES.get(REFERENCE_P).read(TableSchemas.SPHERE_STATS).collectAsList());
        List<String[]> expected = csv("expected_stats.csv");
        List<String> failures = new ArrayList<>();
        Map<String, Double> worst = new TreeMap<>();   // metric → largest |Δ| / tolerance over its keys and columns
        for (String[] e : expected) {
            String key = String.join("|", e[0], e[1], e[2], e[3]);
            Row row = actual.get(key);
            if (row == null) {
                failures.add(key + ": missing");
                continue;
            }
            String metric = e[2];
            long count = row.getAs("count");
            if (count != Long.parseLong(e[4])) {
                failures.add(key + ": count " + count + ", expected " + e[4]);
            }
            String[] columns = {"mean", "stddev", "min", "max"};
            for (int c = 0; c < columns.length; c++) {
                double want = Double.parseDouble(e[5 + c]);
                double got = row.getAs(columns[c]);
                double ratio = Math.abs(got - want) / tolerance(metric, columns[c], want);
                worst.merge(metric, ratio, Math::max);
                if (!(ratio <= 1)) {
                    failures.add(key + ": " + columns[c] + " " + got + ", expected " + want);
                }
            }
        }
        for (String key : actual.keySet()) {
            if (expected.stream().noneMatch(e -> key.equals(String.join("|", e[0], e[1], e[2], e[3])))) {
                failures.add(key + ": not in the reference");
            }
        }
        System.out.println("sphere_stats vs reference, largest |deviation| / tolerance per metric: " + worst);
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", head(failures)));
    }

    @Test
    void tokenTravelMatchesTheReference() throws IOException {
        Map<String, Row> actual = travelByKey(STORES.get(REFERENCE_P).read(TableSchemas.TOKEN_TRAVEL).collectAsList());
        List<String[]> expected = csv("expected_travel.csv");
        assertEquals(expected.size(), actual.size(), "token_travel rows");
        List<String> failures = new ArrayList<>();
        double worst = 0;
        String[] columns = TRAVEL_MEANS;
        for (String[] e : expected) {
            String key = e[0] + "|" + e[1];
            Row row = actual.get(key);
            if (row == null) {
                failures.add(key + ": missing");
                continue;
            }
            if (row.<Long>getAs("count") != Long.parseLong(e[2])) {
                failures.add(key + ": count " + row.getAs("count") + ", expected " + e[2]);
            }
            for (int c = 0; c < columns.length; c++) {
                Object got = row.getAs(columns[c]);
                if (e[3 + c].isEmpty() || got == null) {
                    // Only log_ratio may be absent: a token seen only at the last position of windows.
                    if (!e[3 + c].isEmpty() || got != null) {
                        failures.add(key + ": " + columns[c] + " " + got + ", expected '" + e[3 + c] + "'");
                    }
                    continue;
                }
                double want = Double.parseDouble(e[3 + c]);
                double ratio = Math.abs((Double) got - want) / (1e-4 * Math.max(1, Math.abs(want)));
                worst = Math.max(worst, ratio);
                if (!(ratio <= 1)) {
                    failures.add(key + ": " + columns[c] + " " + got + ", expected " + want);
                }
            }
        }
        System.out.println("token_travel vs reference, largest |deviation| / tolerance: " + worst);
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", head(failures)));
    }

    @Test
    void runsLedgerCountsTheCorpus() throws IOException {
        String json = Files.readString(GOLDEN.resolve("expected_counts.json"), StandardCharsets.UTF_8);
        for (int p : PARTITIONS) {
            List<Row> runs = STORES.get(p).read(TableSchemas.RUNS).collectAsList();
            assertEquals(1, runs.size(), "runs rows at P = " + p);
            Row run = runs.get(0);
            assertEquals(RunRecord.SUCCEEDED, run.getAs("status"), "status at P = " + p + ": " + run.getAs("error"));
            assertEquals(count(json, "documents"), run.<Long>getAs("documents_read"), "documents_read at P = " + p);
            assertEquals(0L, run.<Long>getAs("documents_rejected"), "documents_rejected at P = " + p);
            assertEquals(count(json, "windows"), run.<Long>getAs("windows"), "windows at P = " + p);
            assertEquals(count(json, "windows_skipped"), run.<Long>getAs("windows_skipped"), "windows_skipped at P = " + p);
            assertEquals(count(json, "tokens"), run.<Long>getAs("tokens"), "tokens at P = " + p);
            assertEquals(count(json, "tokens"), RECORDS.get(p).tokens(), "RunRecord tokens at P = " + p);
        }
    }

    /**
     * Batches are formed independently of the partitioning, so every per-token value is the same
     * bits at any P: counts, min and max are equal, mean and stddev differ only by the order of
     * merging (1e-9 relative), and each quantile is within the KLL rank error of the others.
     */
    @Test
    void partitionCountDoesNotChangeTheStatistics() {
        Map<String, Row> reference = byKey(STORES.get(REFERENCE_P).read(TableSchemas.SPHERE_STATS).collectAsList());
        double rankSlack = 2 * MetricSummary.rankError();
        List<String> failures = new ArrayList<>();
        double worst = 0;                                 // largest relative difference of a mean or stddev
        for (int p : PARTITIONS) {
            if (p == REFERENCE_P) {
                continue;
            }
            Map<String, Row> other = byKey(STORES.get(p).read(TableSchemas.SPHERE_STATS).collectAsList());
            assertEquals(reference.keySet(), other.keySet(), "sphere_stats keys at P = " + p);
            for (Map.Entry<String, Row> entry : reference.entrySet()) {
                String where = entry.getKey() + " at P = " + p;
                Row a = entry.getValue();
                Row b = other.get(entry.getKey());
                if (!a.getAs("count").equals(b.getAs("count"))) {
                    failures.add(where + ": count " + b.getAs("count") + " vs " + a.getAs("count"));
                }
                for (String column : new String[] {"min", "max"}) {
                    if (!a.getAs(column).equals(b.getAs(column))) {
                        failures.add(where + ": " + column + " " + b.getAs(column) + " vs " + a.getAs(column));
                    }
                }
                for (String column : new String[] {"mean", "stddev"}) {
                    double x = a.getAs(column);
                    double y = b.getAs(column);
                    worst = Math.max(worst, relativeDifference(x, y));
                    if (!(relativeDifference(x, y) <= 1e-9)) {
                        failures.add(where + ": " + column + " " + y + " vs " + x);
                    }
                }
                // Each of P's quantiles must sit at its rank within the reference sketch, up to the error
                // of both sketches; ties (constant or integer metrics) span [exclusive, inclusive] rank.
                KllFloatsSketch sketch = KllFloatsSketch.heapify(Memory.wrap(a.<byte[]>getAs("sketch")));
                if (sketch.getN() != a.<Long>getAs("count")) {
                    failures.add(where + ": sketch n " + sketch.getN() + " vs count " + a.getAs("count"));
                }
                for (int q = 0; q < QUANTILE_RANKS.length; q++) {
                    float value = (float) b.<Double>getAs(QUANTILE_COLUMNS[q]).doubleValue();
                    double below = sketch.getRank(value, QuantileSearchCriteria.EXCLUSIVE);
                    double upTo = sketch.getRank(value, QuantileSearchCriteria.INCLUSIVE);
                    double r = QUANTILE_RANKS[q];
                    if (r < below - rankSlack || r > upTo + rankSlack) {
                        failures.add(where + ": " + QUANTILE_COLUMNS[q] + " " + value + " has rank [" + below + ", "
                                + upTo + "] in the P = " + REFERENCE_P + " sketch");
                    }
                }
            }
        }
        System.out.println("sphere_stats across partition counts, largest relative difference of mean/stddev: " + worst);
        assertTrue(failures.isEmpty(), failures.size() + " differences:\n" + String.join("\n", head(failures)));
    }

    /** token_travel is a sum per (layer, token): equal counts, means equal up to the order of merging. */
    @Test
    void partitionCountDoesNotChangeTokenTravel() {
        Map<String, Row> reference = travelByKey(STORES.get(REFERENCE_P).read(TableSchemas.TOKEN_TRAVEL).collectAsList());
        List<String> failures = new ArrayList<>();
        for (int p : PARTITIONS) {
            if (p == REFERENCE_P) {
                continue;
            }
            Map<String, Row> other = travelByKey(STORES.get(p).read(TableSchemas.TOKEN_TRAVEL).collectAsList());
            assertEquals(reference.keySet(), other.keySet(), "token_travel keys at P = " + p);
            for (Map.Entry<String, Row> entry : reference.entrySet()) {
                Row a = entry.getValue();
                Row b = other.get(entry.getKey());
                if (!a.getAs("count").equals(b.getAs("count"))) {
                    failures.add(entry.getKey() + " at P = " + p + ": count " + b.getAs("count") + " vs " + a.getAs("count"));
                }
                for (String column : TRAVEL_MEANS) {
                    Double x = a.getAs(column);
                    Double y = b.getAs(column);
                    if (x == null || y == null ? x != y : !(relativeDifference(x, y) <= 1e-9)) {
                        failures.add(entry.getKey() + " at P = " + p + ": " + column + " " + y + " vs " + x);
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " differences:\n" + String.join("\n", head(failures)));
    }

    /** |x − y| relative to the larger magnitude, with an absolute floor for values at 0 (embed_angle at resid_pre 0). */
    private static double relativeDifference(double x, double y) {
        return Math.abs(x - y) / (Math.max(Math.abs(x), Math.abs(y)) + 1e-3);
    }

    /**
     * The reference is float64, the job float32: 1e-4, relative above 1. next_rank counts logits
     * above the target's, and float32 logits may reorder near-ties (about 0.4 per token within
     * 3e-5 here), so its moments get 1e-3 relative and its min and max one rank.
     */
    private static double tolerance(String metric, String column, double expected) {
        if (metric.equals("next_rank")) {
            return column.equals("min") || column.equals("max") ? 1.0 : 1e-3 * Math.max(1, Math.abs(expected));
        }
        return 1e-4 * Math.max(1, Math.abs(expected));
    }

    private static Map<String, Row> byKey(List<Row> rows) {
        Map<String, Row> out = new TreeMap<>();
        for (Row row : rows) {
            String key = String.join("|", String.valueOf(row.<Integer>getAs("layer")), row.getAs("site"),
                    row.getAs("metric"), row.getAs("position_bucket"));
            if (out.put(key, row) != null) {
                throw new AssertionError("duplicate sphere_stats key " + key);
            }
        }
        return out;
    }

    private static Map<String, Row> travelByKey(List<Row> rows) {
        Map<String, Row> out = new TreeMap<>();
        for (Row row : rows) {
            out.put(row.<Integer>getAs("layer") + "|" + row.<Integer>getAs("token_id"), row);
        }
        return out;
    }

    /** The data lines of a golden CSV (no quoting in these files; a trailing empty field is kept). */
    private static List<String[]> csv(String name) throws IOException {
        List<String> lines = Files.readAllLines(GOLDEN.resolve(name), StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }

    private static long count(String json, String field) {
        return JsonParser.parseString(json).getAsJsonObject().get(field).getAsLong();
    }

    private static List<String> head(List<String> lines) {
        return lines.subList(0, Math.min(30, lines.size()));
    }
}
