package org.travelingwords.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.analyses.AnalysisRegistry;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.corpus.CorpusOptions;
import org.travelingwords.exec.ModelSettings;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.pass.CorpusRun;
import org.travelingwords.pass.RunConfig;
import org.travelingwords.pass.WindowSettings;
import org.travelingwords.sphere.SphereOptions;
import org.travelingwords.testing.LocalSpark;
import org.travelingwords.text.Gpt2Tokenizer;
import org.travelingwords.text.Windows;

/**
 * The heads analysis end to end on a model with planted structure (2 layers, 4 heads, d 64, GPT-2's
 * vocabulary), through {@code tw run --analyses sphere,heads}:
 * <ul>
 * <li>layer 1: heads 0 and 1 write the mean embedding direction of a set A of sport words whatever
 *     they attend to (W_V = 0, b_V = e_0, W_O's first row of the head = that direction), heads 2 and 3
 *     the same for a set B of food words; the embeddings of A and B share a direction each;</li>
 * <li>layer 0: head 0 attends to the previous token: position embeddings turn by α per position in two
 *     coordinates and the head's W_Q rotates them back by α, so q_t·k_k peaks at k = t − 1 (the token
 *     embeddings are small, so that LN's σ, and with it |q| and |k|, varies far less than 1 − cos α);
 *     its other heads, like all MLPs, stay random.</li>
 * </ul>
 * The A heads must share a cluster labelled with A words, the B heads another labelled with B words;
 * the planted head must have prev ≈ 1 and exactly the corpus's bigrams as its top query–key pairs.
 * A second run with 5 partitions (heads only, fixed k) must agree within the sketches' bounds.
 */
class HeadsPlantedTest {

    private static final List<String> SPORT = List.of(" football", " soccer", " tennis", " hockey", " baseball",
            " basketball", " golf", " rugby", " cricket", " boxing");
    private static final List<String> FOOD = List.of(" bread", " cheese", " pizza", " pasta", " rice", " soup",
            " salad", " butter", " chicken", " chocolate");
    /** The corpus' words; each is followed by one of its three successors with probabilities 0.6, 0.3, 0.1. */
    private static final List<String> WORDS = List.of(" the", " cat", " sat", " on", " mat", " dog", " ran", " in",
            " park", " and", " big", " red", " football", " bread");
    private static final int D = 64;
    private static final int HEAD_DIM = 16;
    private static final int BLOCK = 64;
    private static final double ALPHA = 2 * Math.PI / 70;  // position turn; 63·α stays below 2π − α
    private static final double RADIUS = 10;               // position embedding size, ≫ the token embeddings
    private static final double GAIN = 20;                 // W_Q, W_K scale: a score gap of ≈ 12 nats to t − 2 and t
    /** Token embeddings are N(0, 0.01²): tiny beside the positions, so LN's σ, and with it |q| and |k|, hardly vary. */
    private static final float EMBEDDING_STD = 0.01f;
    private static final float SET_DIRECTION = 0.1f;       // how far A and B embeddings lean along their direction
    private static final HeadsOptions SMALL_CORPUS = new HeadsOptions(HeadsOptions.DEFAULTS.qkTop(),
            HeadsOptions.DEFAULTS.subjectTop(), 1.0 / 32, HeadsOptions.DEFAULTS.maxClusters(), HeadsOptions.DEFAULTS.clusters());

    private static SparkSession spark;
    @TempDir
    static Path dir;
    private static Path outOne;
    private static Path outFive;
    private static Map<Long, Long> bigramCounts;
    private static Set<Integer> sport;
    private static Set<Integer> food;

    @BeforeAll
    static void runThePlantedModel() throws Exception {
        spark = LocalSpark.start();
        Gpt2Tokenizer tokenizer = Gpt2Tokenizer.get();
        sport = ids(tokenizer, SPORT);
        food = ids(tokenizer, FOOD);
        Path model = dir.resolve("planted");
        plantedModel().writeFolder(model);
        Path corpus = dir.resolve("corpus.jsonl");
        List<String> documents = documents(new SplittableRandom(11));
        Files.writeString(corpus, documents.stream().map(text -> "{\"text\": \"" + text + "\"}\n")
                .collect(Collectors.joining()), StandardCharsets.UTF_8);
        bigramCounts = expectedPairs(tokenizer, documents);

        outOne = dir.resolve("p1");
        // The defaults but 1/32 of the queries for the promoted view: ≈ 2,000 tokens need it for tens of samples.
        RunRecord one = new CorpusRun(spark, config(corpus, model, outOne, 1, List.of("sphere", "heads"),
                SMALL_CORPUS), "planted-p1", "test").run();
        assertEquals(RunRecord.SUCCEEDED, one.status());
        outFive = dir.resolve("p5");
        RunRecord five = new CorpusRun(spark, config(corpus, model, outFive, 5, List.of("heads"),
                new HeadsOptions(100, 20, SMALL_CORPUS.promotedSampleRate(), 12, 3)), "planted-p5", "test").run();
        assertEquals(RunRecord.SUCCEEDED, five.status());
    }

    @AfterAll
    static void stopSpark() {
        LocalSpark.stop();
    }

    @Test
    void subjectHeadsClusterByTheirSetAndAreLabelledWithIt() {
        Map<String, Row> clusters = byHead(table(outOne, "head_clusters"));
        assertEquals(8, clusters.size(), clusters.keySet().toString());
        int a = clusters.get("1/0").getAs("cluster");
        int b = clusters.get("1/2").getAs("cluster");
        assertEquals(a, (int) clusters.get("1/1").getAs("cluster"), "the two A heads share a cluster");
        assertEquals(b, (int) clusters.get("1/3").getAs("cluster"), "the two B heads share a cluster");
        assertNotEquals(a, b, "A and B heads are apart");
        assertLabelFrom(clusters.get("1/0").getList(clusters.get("1/0").fieldIndex("cluster_label")), SPORT);
        assertLabelFrom(clusters.get("1/2").getList(clusters.get("1/2").fieldIndex("cluster_label")), FOOD);
        for (String head : List.of("1/0", "1/1", "1/2", "1/3")) {
            assertTrue(clusters.get(head).<Double>getAs("silhouette") > 0.5, head + ": " + clusters.get(head));
        }

        List<Row> subjects = table(outOne, "head_subjects");
        List<Integer> meanView = subjects.stream().filter(r -> r.<Integer>getAs("layer") == 1 && r.<Integer>getAs("head") == 0
                        && r.getAs("view").equals("mean") && r.<Integer>getAs("rank") < 10)
                .map(r -> r.<Integer>getAs("token_id")).toList();
        assertTrue(meanView.stream().filter(sport::contains).count() >= 7, "mean view of head 1/0: " + meanView);
        Row promoted = subjects.stream().filter(r -> r.<Integer>getAs("layer") == 1 && r.<Integer>getAs("head") == 3
                && r.getAs("view").equals("promoted") && r.<Integer>getAs("rank") == 0).findFirst().orElseThrow();
        assertTrue(food.contains(promoted.<Integer>getAs("token_id")), "head 1/3 promotes " + promoted);
        assertTrue(promoted.<Double>getAs("score") >= 10, "sampled queries: " + promoted);
    }

    @Test
    void previousTokenHeadAttendsToTheBigrams() {
        Row prev = table(outOne, "head_stats").stream().filter(r -> r.<Integer>getAs("layer") == 0
                && r.<Integer>getAs("head") == 0 && r.getAs("metric").equals("prev")
                && r.getAs("position_bucket").equals("all")).findFirst().orElseThrow();
        assertTrue(prev.<Double>getAs("mean") > 0.99, prev.toString());
        assertTrue(prev.<Double>getAs("min") > 0.9, prev.toString());

        List<Row> pairs = table(outOne, "qk_pairs").stream().filter(r -> r.<Integer>getAs("layer") == 0
                && r.<Integer>getAs("head") == 0 && r.<Integer>getAs("rank") < 10)
                .sorted((x, y) -> Integer.compare(x.getAs("rank"), y.getAs("rank"))).toList();
        List<Long> expectedTop = bigramCounts.values().stream().sorted((x, y) -> Long.compare(y, x)).limit(10).toList();
        assertEquals(expectedTop, pairs.stream().map(r -> r.<Long>getAs("count")).toList(), "top-10 counts");
        for (Row pair : pairs) {
            long key = pairKey(pair.getAs("query_token_id"), pair.getAs("key_token_id"));
            assertEquals(bigramCounts.get(key), pair.<Long>getAs("count"), pair.toString());
            assertEquals(pair.<Long>getAs("count"), pair.<Long>getAs("count_lower_bound"), "exact: " + pair);
            assertEquals(pair.<Long>getAs("count"), pair.<Long>getAs("count_upper_bound"), "exact: " + pair);
            assertTrue(pair.<Double>getAs("mean_weight") > 0.99, pair.toString());
        }
    }

    @Test
    void fivePartitionsAgreeWithOneWithinTheSketchBounds() {
        assertFalse(Files.exists(outFive.resolve("sphere_stats")), "--analyses heads writes no sphere tables");
        Map<String, Row> one = new HashMap<>();
        for (Row r : table(outOne, "qk_pairs")) {
            one.put(pairRow(r), r);
        }
        int compared = 0;
        for (Row five : table(outFive, "qk_pairs")) {
            Row match = one.get(pairRow(five));
            if (match == null) {
                continue;
            }
            assertTrue(five.<Long>getAs("count_lower_bound") <= match.<Long>getAs("count_upper_bound")
                    && match.<Long>getAs("count_lower_bound") <= five.<Long>getAs("count_upper_bound"),
                    "P = 5 " + five + " vs P = 1 " + match);
            compared++;
        }
        assertTrue(compared > 400, "pairs compared: " + compared);
        Map<String, Long> countsOne = statCounts(outOne);
        assertEquals(countsOne, statCounts(outFive), "head_stats counts");
        assertEquals(3, table(outFive, "head_clusters").stream().map(r -> r.getAs("cluster")).distinct().count(),
                "--clusters 3");
    }

    private static RunConfig config(Path corpus, Path model, Path out, int partitions, List<String> analyses,
                                    HeadsOptions heads) {
        return new RunConfig(new CorpusOptions(List.of(corpus.toString()), "jsonl", "text", null, 100_000),
                new ModelSettings(model.toString(), "cpu", 0, "fp32"), new WindowSettings(BLOCK, BLOCK, false, partitions, 512),
                AnalysisRegistry.of(analyses, new AnalysisRegistry.Options(new SphereOptions(0.01, false), heads)),
                "2026-11-03", out.toString());
    }

    private static List<Row> table(Path out, String name) {
        return spark.read().format("delta").load(out.resolve(name).toString()).collectAsList();
    }

    private static Map<String, Row> byHead(List<Row> rows) {
        Map<String, Row> byHead = new HashMap<>();
        rows.forEach(r -> byHead.put(r.getAs("layer") + "/" + r.getAs("head"), r));
        return byHead;
    }

    private static String pairRow(Row r) {
        return r.getAs("layer") + "/" + r.getAs("head") + "/" + r.getAs("query_token_id") + "/" + r.getAs("key_token_id");
    }

    private static Map<String, Long> statCounts(Path out) {
        Map<String, Long> counts = new HashMap<>();
        table(out, "head_stats").forEach(r -> counts.put(r.getAs("layer") + "/" + r.getAs("head") + "/" + r.getAs("metric")
                + "/" + r.getAs("position_bucket"), r.getAs("count")));
        return counts;
    }

    private static void assertLabelFrom(List<String> label, List<String> words) {
        Gpt2Tokenizer tokenizer = Gpt2Tokenizer.get();
        Set<String> shown = words.stream().map(w -> tokenizer.display(tokenizer.encode(w)[0])).collect(Collectors.toSet());
        assertEquals(10, label.size(), label.toString());
        assertTrue(label.stream().filter(shown::contains).count() >= 7, label + " should come from " + shown);
    }

    private static Set<Integer> ids(Gpt2Tokenizer tokenizer, List<String> words) {
        Set<Integer> ids = new HashSet<>();
        for (String word : words) {
            int[] tokens = tokenizer.encode(word);
            assertEquals(1, tokens.length, "'" + word + "' must be one token");
            ids.add(tokens[0]);
        }
        return ids;
    }

    /**
     * DESIGN §5's pairs when k* = t − 1, which is what the planted head attends to: (w_t, w_{t−1}) for
     * t ≥ 2, and (w_1, w_1) at t = 1, where the only key after the sink is the query itself.
     */
    private static Map<Long, Long> expectedPairs(Gpt2Tokenizer tokenizer, List<String> documents) {
        Map<Long, Long> counts = new HashMap<>();
        for (String text : documents) {
            for (int[] window : Windows.cut(tokenizer.encode(text), BLOCK, BLOCK, false).windows()) {
                for (int t = 1; t < window.length; t++) {
                    counts.merge(pairKey(window[t], window[Math.max(1, t - 1)]), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static long pairKey(int query, int key) {
        return ((long) query << 20) | key;
    }

    /** 40 documents of 50 words from a skewed Markov chain over {@link #WORDS}, so that a few bigrams dominate. */
    private static List<String> documents(SplittableRandom random) {
        int[][] successors = new int[WORDS.size()][3];
        for (int[] next : successors) {
            for (int i = 0; i < 3; i++) {
                next[i] = random.nextInt(WORDS.size());
            }
        }
        List<String> documents = new ArrayList<>();
        for (int d = 0; d < 40; d++) {
            StringBuilder text = new StringBuilder();
            int word = random.nextInt(WORDS.size());
            for (int w = 0; w < 50; w++) {
                text.append(WORDS.get(word));
                double u = random.nextDouble();
                word = successors[word][u < 0.6 ? 0 : u < 0.9 ? 1 : 2];
            }
            documents.add(text.toString().trim() + ".");
        }
        return documents;
    }

    /** The planted weights; everything not named in the class comment keeps RandomGpt2's values. */
    private static Gpt2Weights plantedModel() {
        Gpt2Config config = Gpt2Config.of(2, 4, D, Gpt2Tokenizer.VOCAB_SIZE, BLOCK);
        Gpt2Weights weights = RandomGpt2.generate(config, 17, 0.1);
        Gpt2Tokenizer tokenizer = Gpt2Tokenizer.get();
        float[] wte = weights.get("wte.weight").data();
        for (int i = 0; i < wte.length; i++) {
            wte[i] = i % D < 4 ? 0f : wte[i] * EMBEDDING_STD / 0.1f;   // dims 0..3 belong to the positions
        }
        sport.forEach(v -> wte[v * D + 10] += SET_DIRECTION);
        food.forEach(v -> wte[v * D + 20] += SET_DIRECTION);

        float[] wpe = weights.get("wpe.weight").data();
        Arrays.fill(wpe, 0f);
        for (int t = 0; t < BLOCK; t++) {
            float c = (float) (RADIUS * Math.cos(t * ALPHA));
            float s = (float) (RADIUS * Math.sin(t * ALPHA));
            // the negated copy keeps every position embedding's mean at 0, so LN does not bend the angle
            System.arraycopy(new float[] {c, s, -c, -s}, 0, wpe, t * D, 4);
        }
        Arrays.fill(weights.get("h.0.ln_1.weight").data(), 1f);
        Arrays.fill(weights.get("h.0.ln_1.bias").data(), 0f);
        Arrays.fill(weights.get("ln_f.weight").data(), 1f);
        Arrays.fill(weights.get("ln_f.bias").data(), 0f);

        // Layer 0, head 0: q = GAIN·Rot(−α)·(x̂_0, x̂_1), k = GAIN·(x̂_0, x̂_1); Conv1D layout W[in][out], out = 3·D.
        float[] qkv = weights.get("h.0.attn.c_attn.weight").data();
        float[] qkvBias = weights.get("h.0.attn.c_attn.bias").data();
        for (int in = 0; in < D; in++) {
            for (int out = 0; out < HEAD_DIM; out++) {
                qkv[in * 3 * D + out] = 0f;
                qkv[in * 3 * D + D + out] = 0f;
            }
        }
        for (int out = 0; out < HEAD_DIM; out++) {
            qkvBias[out] = 0f;
            qkvBias[D + out] = 0f;
        }
        float cos = (float) (GAIN * Math.cos(ALPHA));
        float sin = (float) (GAIN * Math.sin(ALPHA));
        qkv[0] = cos;
        qkv[3 * D] = sin;
        qkv[1] = -sin;
        qkv[3 * D + 1] = cos;
        qkv[D] = (float) GAIN;
        qkv[3 * D + D + 1] = (float) GAIN;

        // Layer 1: every head's value is b_V = e_0, whatever it attends to; W_O maps e_0 to its set's direction.
        float[] attn1 = weights.get("h.1.attn.c_attn.weight").data();
        float[] attn1Bias = weights.get("h.1.attn.c_attn.bias").data();
        float[] proj1 = weights.get("h.1.attn.c_proj.weight").data();
        float[][] directions = {meanDirection(wte, sport, 4f), meanDirection(wte, sport, 6f),
            meanDirection(wte, food, 5f), meanDirection(wte, food, 3f)};
        for (int h = 0; h < 4; h++) {
            int v0 = 2 * D + h * HEAD_DIM;
            for (int in = 0; in < D; in++) {
                Arrays.fill(attn1, in * 3 * D + v0, in * 3 * D + v0 + HEAD_DIM, 0f);
            }
            Arrays.fill(attn1Bias, v0, v0 + HEAD_DIM, 0f);
            attn1Bias[v0] = 1f;
            Arrays.fill(proj1, h * HEAD_DIM * D, (h + 1) * HEAD_DIM * D, 0f);
            System.arraycopy(directions[h], 0, proj1, h * HEAD_DIM * D, D);
        }
        return weights;
    }

    /** scale · m/‖m‖ for m the mean embedding of {@code set}. */
    private static float[] meanDirection(float[] wte, Set<Integer> set, float scale) {
        double[] mean = new double[D];
        for (int v : set) {
            for (int i = 0; i < D; i++) {
                mean[i] += wte[v * D + i] / set.size();
            }
        }
        double norm = Math.sqrt(Arrays.stream(mean).map(x -> x * x).sum());
        float[] direction = new float[D];
        for (int i = 0; i < D; i++) {
            direction[i] = (float) (scale * mean[i] / norm);
        }
        return direction;
    }
}
