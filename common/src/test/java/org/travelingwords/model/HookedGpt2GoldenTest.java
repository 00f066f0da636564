package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every hook of DESIGN §3 against golden values from an independent float64 reference
 * ({@code tools/make_golden.py}), for sequences run alone and together in one right-padded batch.
 */
class HookedGpt2GoldenTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
    private static final double TOLERANCE = 1e-4;

    /** A golden model folder: the weights, and per sequence its tokens and every hook. */
    private record Golden(Gpt2Weights weights, List<int[]> sequences, List<Map<String, HostTensor>> hooks) {
        int layers() {
            return weights.config().nLayer();
        }
    }

    private static Golden load(String name) throws IOException {
        Path dir = GOLDEN.resolve(name);
        Gpt2Weights weights = Gpt2Weights.read(Gpt2Config.read(dir.resolve("config.json")), dir.resolve("model.safetensors"));
        List<int[]> sequences = new ArrayList<>();
        List<Map<String, HostTensor>> hooks = new ArrayList<>();
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("hooks.safetensors"))) {
            for (int i = 0; file.entries().containsKey("seq" + i + "/tokens"); i++) {
                long[] ids = file.readLongs("seq" + i + "/tokens");
                int[] tokens = new int[ids.length];
                for (int t = 0; t < ids.length; t++) {
                    tokens[t] = Math.toIntExact(ids[t]);
                }
                sequences.add(tokens);
                Map<String, HostTensor> seqHooks = new TreeMap<>();
                for (String hook : HookNames.all(weights.config().nLayer())) {
                    seqHooks.put(hook, file.readFloat("seq" + i + "/" + hook));
                }
                hooks.add(seqHooks);
            }
        }
        assertTrue(sequences.size() >= 2, name + " golden needs several sequences");
        return new Golden(weights, sequences, hooks);
    }

    private static Map<String, HostTensor> run(HookedGpt2 model, int[][] rows, HookPlan plan) {
        HookCapture capture = new HookCapture();
        try (NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            model.forward(TokenBatch.of(rows), plan, capture, scope);
        }
        return capture.captured();
    }

    private static HookPlan everyHook(int layers) {
        return HookPlan.forHooks(layers, new LinkedHashSet<>(HookNames.all(layers)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-sharp"})
    void everyHookMatchesTheReferenceAloneAndInABatch(String name) throws IOException {
        Golden golden = load(name);
        int layers = golden.layers();
        double maxError = 0;
        try (HookedGpt2 model = HookedGpt2.load(golden.weights(), Device.cpu())) {
            // Alone: each sequence is its own batch of one, shapes equal the golden's.
            for (int s = 0; s < golden.sequences().size(); s++) {
                int[] tokens = golden.sequences().get(s);
                Map<String, HostTensor> got = run(model, new int[][] {tokens}, everyHook(layers));
                assertEquals(Set.copyOf(HookNames.all(layers)), got.keySet(), "hooks handed out");
                for (String hook : HookNames.all(layers)) {
                    HostTensor expected = golden.hooks().get(s).get(hook);
                    assertArrayEquals(expected.shape(), got.get(hook).shape(), name + " seq" + s + " " + hook + " shape");
                    maxError = Math.max(maxError,
                            compareRow(name + " seq" + s + " alone " + hook, hook, expected, got.get(hook), 0, tokens.length));
                }
            }

            // Together, right-padded to the longest: each row's valid region must equal its solo golden.
            int[][] rows = golden.sequences().toArray(new int[0][]);
            Map<String, HostTensor> got = run(model, rows, everyHook(layers));
            for (int s = 0; s < rows.length; s++) {
                for (String hook : HookNames.all(layers)) {
                    maxError = Math.max(maxError, compareRow(name + " seq" + s + " in batch " + hook, hook,
                            golden.hooks().get(s).get(hook), got.get(hook), s, rows[s].length));
                }
            }
        }
        System.out.printf("%s: max abs error over every hook %.3g%n", name, maxError);
    }

    /**
     * Compares batch row {@code row} of {@code actual} with the batch-of-one golden over the first
     * {@code length} positions (queries and keys for [B,H,T,T] hooks); returns the max abs error.
     * −∞ scores above the diagonal must be −∞ in both.
     */
    private static double compareRow(String what, String hook, HostTensor expected, HostTensor actual, int row, int length) {
        long[] es = expected.shape();
        long[] as = actual.shape();
        assertEquals(es.length, as.length, what + " rank");
        boolean square = hook.endsWith("attn.hook_attn_scores") || hook.endsWith("attn.hook_pattern");
        double maxError = 0;
        int heads = square ? (int) es[1] : 1;
        int positionsExpected = (int) (square ? es[2] : es[1]);
        int positionsActual = (int) (square ? as[2] : as[1]);
        assertEquals(length, positionsExpected, what + " golden length");
        // Per query position the values are contiguous: the keys of [B,H,T,T], the features otherwise.
        int inner = 1;
        int innerActual;
        if (square) {
            assertEquals(es[1], as[1], what + " heads");
            assertEquals(as[2], as[3], what + " square");
            inner = (int) es[3];
            innerActual = positionsActual;
        } else {
            for (int i = 2; i < es.length; i++) {
                assertEquals(es[i], as[i], what + " dim " + i);
                inner *= (int) es[i];
            }
            innerActual = inner;
        }
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < length; t++) {
                int eBase = (h * positionsExpected + t) * inner;
                int aBase = ((row * heads + h) * positionsActual + t) * innerActual;
                int valid = square ? length : inner;   // keys beyond the row's length are padding
                for (int j = 0; j < valid; j++) {
                    float e = expected.data()[eBase + j];
                    float a = actual.data()[aBase + j];
                    if (Float.isInfinite(e)) {
                        if (e != a) {
                            fail(what + " at h" + h + " t" + t + " [" + j + "]: expected " + e + ", got " + a);
                        }
                        continue;
                    }
                    double error = Math.abs((double) e - a);
                    if (!(error <= TOLERANCE)) {
                        fail(what + " at h" + h + " t" + t + " [" + j + "]: expected " + e + ", got " + a
                                + " (error " + error + ")");
                    }
                    maxError = Math.max(maxError, error);
                }
            }
        }
        return maxError;
    }

    @Test
    void aPlanForOneHookHandsOutExactlyThatHook() throws IOException {
        Golden golden = load("tiny-a");
        String hook = "blocks.0.hook_resid_post";
        int[] tokens = golden.sequences().get(0);
        try (HookedGpt2 model = HookedGpt2.load(golden.weights(), Device.cpu())) {
            Map<String, HostTensor> got = run(model, new int[][] {tokens}, HookPlan.forHooks(golden.layers(), Set.of(hook)));
            assertEquals(Set.of(hook), got.keySet());
            compareRow(hook, hook, golden.hooks().get(0).get(hook), got.get(hook), 0, tokens.length);
        }
    }

    /** Without LN hooks the forward takes the fused LayerNorm kernel: it must agree with the golden too. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-sharp"})
    void fusedLayerNormPathGivesTheSameLogits(String name) throws IOException {
        Golden golden = load(name);
        int[][] rows = golden.sequences().toArray(new int[0][]);
        try (HookedGpt2 model = HookedGpt2.load(golden.weights(), Device.cpu())) {
            Map<String, HostTensor> got = run(model, rows, HookPlan.forHooks(golden.layers(), Set.of(HookNames.LOGITS)));
            assertEquals(Set.of(HookNames.LOGITS), got.keySet());
            for (int s = 0; s < rows.length; s++) {
                compareRow(name + " seq" + s + " logits only", HookNames.LOGITS,
                        golden.hooks().get(s).get(HookNames.LOGITS), got.get(HookNames.LOGITS), s, rows[s].length);
            }
        }
    }

    @Test
    void selectExpandsGlobsAndRejectsUnknownPatterns() {
        int layers = 3;
        HookPlan plan = HookPlan.select(layers, List.of("blocks.*.hook_resid_post"));
        Set<String> expected = new LinkedHashSet<>();
        for (int l = 0; l < layers; l++) {
            expected.add(HookNames.block(l, "hook_resid_post"));
        }
        assertEquals(expected, plan.hooks());
        assertEquals(layers - 1, plan.lastLayer());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HookPlan.select(layers, List.of("blocks.*.hook_nonsense")));
        assertTrue(e.getMessage().contains("blocks.*.hook_nonsense"), e.getMessage());
    }
}
