package org.travelingwords.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.travelingwords.analysis.OnePassForward;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.TokenBatch;
import org.travelingwords.stats.MetricSummary;
import org.travelingwords.stats.Moments;
import org.travelingwords.stats.StatKey;

/**
 * The head analysis and its aggregates against golden/heads/, written by tools/make_heads_golden.py
 * from an independent float64 PyTorch forward: head_stats moments per (layer, head, metric, bucket),
 * the mean view's top tokens, and (where attention is peaked enough for float32 to agree on every
 * argmax) the exact (query, key) pair counts and masses. The windows run in two right-padded
 * batches whose aggregates are merged, as partitions would be.
 */
class HeadGoldenTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final Path HEADS = GOLDEN.resolve("heads");

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-sharp"})
    void headStatisticsMatchTheReference(String name) throws IOException {
        Gpt2Weights weights = Gpt2Weights.read(Gpt2Config.read(GOLDEN.resolve(name).resolve("config.json")),
                GOLDEN.resolve(name).resolve("model.safetensors"));
        Gpt2Config config = weights.config();
        List<int[]> windows = windows(name);
        HeadAggregates merged;
        MeanViewScores.Result meanView;
        try (HookedGpt2 model = HookedGpt2.load(weights, Device.cpu());
             NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            HeadAnalysis analysis = new HeadAnalysis(model);
            int half = windows.size() / 2;
            merged = run(model, analysis, windows.subList(0, half), scope);
            merged.merge(HeadAggregates.fromBytes(run(model, analysis, windows.subList(half, windows.size()), scope).toBytes()));
            List<float[]> means = new ArrayList<>();
            for (int l = 0; l < config.nLayer(); l++) {
                for (int h = 0; h < config.nHead(); h++) {
                    means.add(merged.meanWrite(l, h));
                }
            }
            meanView = MeanViewScores.score(model, means, 5, scope);
        }

        List<String> failures = new ArrayList<>();
        Map<String, MetricSummary> actual = new TreeMap<>();
        for (Map.Entry<StatKey, MetricSummary> e : merged.stats().entries().entrySet()) {
            StatKey key = e.getKey();
            actual.put(String.join(",", String.valueOf(key.layer()), String.valueOf(HeadAggregates.headOf(key)),
                    key.metric(), key.bucket()), e.getValue());
        }
        List<String[]> expected = csv("expected_head_stats.csv", name);
        for (String[] e : expected) {
            String key = String.join(",", e[1], e[2], e[3], e[4]);
            MetricSummary summary = actual.remove(key);
            if (summary == null) {
                failures.add(key + ": missing");
                continue;
            }
            Moments m = summary.moments();
            double[] got = {m.mean(), m.stddev(), m.min(), m.max()};
            String[] columns = {"mean", "stddev", "min", "max"};
            if (m.count() != Long.parseLong(e[5])) {
                failures.add(key + ": count " + m.count() + ", expected " + e[5]);
            }
            for (int c = 0; c < columns.length; c++) {
                double want = Double.parseDouble(e[6 + c]);
                if (!(Math.abs(got[c] - want) <= 1e-4 * Math.max(1, Math.abs(want)))) {
                    failures.add(key + ": " + columns[c] + " " + got[c] + ", expected " + want);
                }
            }
        }
        actual.keySet().forEach(key -> failures.add(key + ": not in the reference"));
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", failures));
        assertTrue(expected.size() > 200, expected.size() + " golden rows for " + name);

        for (String[] e : csv("expected_mean_view.csv", name)) {
            int series = Integer.parseInt(e[1]) * config.nHead() + Integer.parseInt(e[2]);
            int rank = Integer.parseInt(e[4]);
            assertEquals(Integer.parseInt(e[5]), meanView.topTokens()[series][rank], "mean view token " + String.join(",", e));
            double want = Double.parseDouble(e[6]);
            assertEquals(want, meanView.topScores()[series][rank], 1e-6 + 1e-4 * Math.abs(want),
                    "mean view score " + String.join(",", e));
        }

        List<String[]> pairs = csv("expected_pairs.csv", name);
        Map<String, String[]> expectedPairs = new HashMap<>();
        for (String[] e : pairs) {
            expectedPairs.put(String.join(",", e[1], e[2], e[3], e[4]), e);
        }
        if (!pairs.isEmpty()) {
            for (int l = 0; l < config.nLayer(); l++) {
                for (int h = 0; h < config.nHead(); h++) {
                    for (HeavyHitter hitter : merged.topPairs(l, h, Integer.MAX_VALUE)) {
                        TokenPair pair = TokenPair.decode(hitter.item());
                        String[] e = expectedPairs.remove(String.join(",", String.valueOf(l), String.valueOf(h),
                                String.valueOf(pair.query()), String.valueOf(pair.key())));
                        assertTrue(e != null, "unexpected pair " + pair + " at layer " + l + " head " + h);
                        assertArrayEquals(new long[] {Long.parseLong(e[5]), Long.parseLong(e[5])},
                                new long[] {hitter.lowerBound(), hitter.upperBound()}, "exact count of " + pair);
                        double mass = merged.massOf(l, h, hitter.item()).estimate() / HeadAggregates.MASS_UNITS;
                        assertEquals(Double.parseDouble(e[6]), mass, 1e-5 * Long.parseLong(e[5]), "attention mass of " + pair);
                    }
                }
            }
            assertTrue(expectedPairs.isEmpty(), "pairs not reported: " + expectedPairs.keySet());
        }
    }

    private static HeadAggregates run(HookedGpt2 model, HeadAnalysis analysis, List<int[]> windows, NDManager scope) {
        Gpt2Config c = model.config();
        HeadAggregates aggregates = new HeadAggregates(c.nLayer(), c.nHead(), c.nEmbd(), HeadAggregates.sketchSizeFor(10));
        assertNull(aggregates.meanWrite(0, 0), "no mean before any token");
        OnePassForward.run(model, TokenBatch.of(windows.toArray(int[][]::new)), scope,
                List.of(analysis.into(new int[0], aggregates::update)));
        return aggregates;
    }

    private static List<int[]> windows(String name) throws IOException {
        JsonArray all = JsonParser.parseString(Files.readString(HEADS.resolve("windows.json"), StandardCharsets.UTF_8))
                .getAsJsonObject().getAsJsonArray(name);
        List<int[]> windows = new ArrayList<>();
        for (JsonElement window : all) {
            JsonArray ids = window.getAsJsonArray();
            int[] tokens = new int[ids.size()];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = ids.get(i).getAsInt();
            }
            windows.add(tokens);
        }
        return windows;
    }

    /** The data lines of a golden CSV that belong to {@code model} (first column). */
    private static List<String[]> csv(String file, String model) throws IOException {
        List<String> lines = Files.readAllLines(HEADS.resolve(file), StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (fields[0].equals(model)) {
                rows.add(fields);
            }
        }
        return rows;
    }
}
