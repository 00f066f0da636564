package org.travelingwords.probes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HookedGpt2;

/**
 * Every probe table and the word trajectories against golden values from an independent float64
 * reference ({@code tools/make_probe_golden.py}) for the two tiny models: numbers to 1e-4 relative
 * (the float64 probes agree far closer; the trajectories go through the float32 forward), token
 * lists and ranks exactly, ties broken by the lower token id.
 */
class ProbeGoldenTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final double RELATIVE = 1e-4;
    private static final double ABSOLUTE = 1e-8;

    private record Fixture(Gpt2Weights weights, JsonObject golden, int k, int[] nouns) {}

    private static Fixture load(String name) throws IOException {
        Path model = GOLDEN.resolve(name);
        Gpt2Weights weights = Gpt2Weights.read(Gpt2Config.read(model.resolve("config.json")), model.resolve("model.safetensors"));
        JsonObject golden = JsonParser.parseString(Files.readString(GOLDEN.resolve("probes").resolve(name + ".json")))
                .getAsJsonObject();
        return new Fixture(weights, golden, golden.get("top_k").getAsInt(), ints(golden.getAsJsonArray("nouns")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-sharp"})
    void embeddingTables(String name) throws IOException {
        Fixture f = load(name);
        try (ProbeSpace space = ProbeSpace.open(f.weights, Device.cpu())) {
            EmbeddingNorms norms = EmbeddingNorms.compute(space);
            JsonObject expected = f.golden.getAsJsonObject("embedding_norms");
            assertClose(doubles(expected.getAsJsonArray("norm")), norms.norm(), "norm");
            assertClose(doubles(expected.getAsJsonArray("scaled_norm")), norms.scaledNorm(), "scaled_norm");
            assertClose(doubles(expected.getAsJsonArray("bias_score")), norms.biasScore(), "bias_score");
            for (Map.Entry<EmbeddingNorms.Score, int[]> ranks : norms.ranks().entrySet()) {
                String column = ranks.getKey().column();
                assertClose(doubles(expected.getAsJsonArray(column)), norms.score(ranks.getKey()), column);
                assertArrayEquals(ints(expected.getAsJsonArray("rank_" + column)), ranks.getValue(), "rank_" + column);
            }

            List<LnDistance> distances = LnDistance.compute(space);
            JsonArray rows = f.golden.getAsJsonArray("embedding_ln_distance");
            assertEquals(rows.size(), distances.size());
            for (int i = 0; i < rows.size(); i++) {
                JsonObject row = rows.get(i).getAsJsonObject();
                LnDistance got = distances.get(i);
                String where = row.get("setting").getAsString();
                assertEquals(where, got.setting().label());
                assertClose(row.get("l2_mean").getAsDouble(), got.l2Mean(), where + " l2_mean");
                assertClose(row.get("l2_std").getAsDouble(), got.l2Std(), where + " l2_std");
                assertClose(row.get("cos_mean").getAsDouble(), got.cosMean(), where + " cos_mean");
                assertClose(row.get("cos_std").getAsDouble(), got.cosStd(), where + " cos_std");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-sharp"})
    void queryKeyAndValueOutputProbes(String name) throws IOException {
        Fixture f = load(name);
        List<QkProbe.Hit> qk = new ArrayList<>();
        List<VoProbe.Hit> vo = new ArrayList<>();
        try (ProbeSpace space = ProbeSpace.open(f.weights, Device.cpu())) {
            for (int block : ints(f.golden.getAsJsonArray("blocks"))) {
                for (int h = 0; h < f.weights.config().nHead(); h++) {
                    HeadWeights head = HeadWeights.of(f.weights, block, h);
                    qk.addAll(QkProbe.run(space, head, f.nouns, f.k));
                    vo.addAll(VoProbe.run(space, head, f.nouns, f.k));
                }
                vo.addAll(VoProbe.runSum(space, block, f.nouns, f.k));
            }
        }
        JsonArray expectedQk = f.golden.getAsJsonArray("probe_qk");
        assertEquals(expectedQk.size(), qk.size());
        for (int i = 0; i < qk.size(); i++) {
            JsonObject row = expectedQk.get(i).getAsJsonObject();
            QkProbe.Hit got = qk.get(i);
            String where = "probe_qk " + row;
            assertEquals(List.of(row.get("block").getAsInt(), row.get("head").getAsInt(), row.get("query_token_id").getAsInt(),
                    row.get("rank").getAsInt(), row.get("key_token_id").getAsInt()),
                    List.of(got.block(), got.head(), got.queryTokenId(), got.rank(), got.keyTokenId()), where);
            assertClose(row.get("score").getAsDouble(), got.score(), where);
        }
        JsonArray expectedVo = f.golden.getAsJsonArray("probe_vo");
        assertEquals(expectedVo.size(), vo.size());
        for (int i = 0; i < vo.size(); i++) {
            JsonObject row = expectedVo.get(i).getAsJsonObject();
            VoProbe.Hit got = vo.get(i);
            String where = "probe_vo " + row;
            assertEquals(List.of(row.get("block").getAsInt(), row.get("head").getAsInt(), row.get("key_token_id").getAsInt(),
                    row.get("rank").getAsInt(), row.get("value_token_id").getAsInt()),
                    List.of(got.block(), got.head(), got.keyTokenId(), got.rank(), got.valueTokenId()), where);
            assertClose(row.get("score").getAsDouble(), got.score(), where);
            assertClose(row.get("update_norm").getAsDouble(), got.updateNorm(), where);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-sharp"})
    void svdAndBiasProbes(String name) throws IOException {
        Fixture f = load(name);
        List<SvdProbe.Hit> svd = new ArrayList<>();
        List<BiasProbe.Hit> bias = new ArrayList<>();
        try (ProbeSpace space = ProbeSpace.open(f.weights, Device.cpu())) {
            for (int block : ints(f.golden.getAsJsonArray("blocks"))) {
                for (int h = 0; h < f.weights.config().nHead(); h++) {
                    HeadWeights head = HeadWeights.of(f.weights, block, h);
                    svd.addAll(SvdProbe.run(space, head, f.k));
                    bias.addAll(BiasProbe.run(space, head, f.k));
                }
            }
        }
        JsonArray expectedSvd = f.golden.getAsJsonArray("head_svd");
        assertEquals(expectedSvd.size(), svd.size());
        for (int i = 0; i < svd.size(); i++) {
            JsonObject row = expectedSvd.get(i).getAsJsonObject();
            SvdProbe.Hit got = svd.get(i);
            String where = "head_svd " + row;
            assertEquals(List.of(row.get("block").getAsInt(), row.get("head").getAsInt(), row.get("matrix").getAsString(),
                    row.get("rank").getAsInt()), List.of(got.block(), got.head(), got.matrix().name(), got.rank()), where);
            assertClose(row.get("singular_value").getAsDouble(), got.singularValue(), where);
            assertArrayEquals(ints(row.getAsJsonArray("left_token_ids")), got.leftTokenIds(), where + " left");
            assertArrayEquals(ints(row.getAsJsonArray("right_token_ids")), got.rightTokenIds(), where + " right");
        }
        JsonArray expectedBias = f.golden.getAsJsonArray("bias_probe");
        assertEquals(expectedBias.size(), bias.size());
        for (int i = 0; i < bias.size(); i++) {
            JsonObject row = expectedBias.get(i).getAsJsonObject();
            BiasProbe.Hit got = bias.get(i);
            String where = "bias_probe " + row;
            assertEquals(List.of(row.get("block").getAsInt(), row.get("head").getAsInt(), row.get("kind").getAsString(),
                    row.get("sign").getAsInt(), row.get("rank").getAsInt(), row.get("token_id").getAsInt()),
                    List.of(got.block(), got.head(), got.kind().label(), got.sign(), got.rank(), got.tokenId()), where);
            assertClose(row.get("score").getAsDouble(), got.score(), where);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-sharp"})
    void wordTrajectories(String name) throws IOException {
        Fixture f = load(name);
        List<WordTrajectory.Point> points = new ArrayList<>();
        List<Integer> phraseOf = new ArrayList<>();
        VocabularyFrame frame;
        try (ProbeSpace space = ProbeSpace.open(f.weights, Device.cpu());
             HookedGpt2 model = HookedGpt2.load(f.weights, Device.cpu())) {
            frame = VocabularyFrame.compute(space);
            JsonArray phrases = f.golden.getAsJsonArray("phrases");
            for (int p = 0; p < phrases.size(); p++) {
                for (WordTrajectory.Point point : WordTrajectory.trace(model, space, frame,
                        ints(phrases.get(p).getAsJsonArray()), f.k)) {
                    points.add(point);
                    phraseOf.add(p);
                }
            }
        }
        assertClose(doubles(f.golden.getAsJsonArray("pca_variances")), frame.variances(), "pca variances");
        JsonArray expected = f.golden.getAsJsonArray("trajectories");
        assertEquals(expected.size(), points.size());
        for (int i = 0; i < points.size(); i++) {
            JsonObject row = expected.get(i).getAsJsonObject();
            WordTrajectory.Point got = points.get(i);
            String where = "trajectories " + row;
            boolean last = row.get("next_token_id").isJsonNull();
            assertEquals(List.of(row.get("phrase_index").getAsInt(), row.get("position").getAsInt(),
                    row.get("token_id").getAsInt(), row.get("stage_index").getAsInt(), row.get("stage").getAsString(),
                    last ? -1 : row.get("next_token_id").getAsInt()),
                    List.of(phraseOf.get(i), got.position(), got.tokenId(), got.stageIndex(), got.stage(), got.nextTokenId()),
                    where);
            assertArrayEquals(ints(row.getAsJsonArray("top_token_ids")), got.topTokenIds(), where);
            assertClose(doubles(row.getAsJsonArray("top_probs")), got.topProbs(), where);
            assertClose(row.get("cos_current").getAsDouble(), got.cosCurrent(), where + " cos_current");
            if (last) {
                assertTrue(Double.isNaN(got.cosNext()), where);
            } else {
                assertClose(row.get("cos_next").getAsDouble(), got.cosNext(), where + " cos_next");
            }
            assertClose(new double[] {row.get("x").getAsDouble(), row.get("y").getAsDouble(), row.get("z").getAsDouble()},
                    new double[] {got.x(), got.y(), got.z()}, where + " xyz");
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= RELATIVE * Math.abs(expected) + ABSOLUTE,
                what + ": expected " + expected + ", got " + actual);
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], what + "[" + i + "]");
        }
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }

    private static double[] doubles(JsonArray array) {
        double[] out = new double[array.size()];
        int i = 0;
        for (JsonElement e : array) {
            out[i++] = e.getAsDouble();
        }
        return out;
    }
}
