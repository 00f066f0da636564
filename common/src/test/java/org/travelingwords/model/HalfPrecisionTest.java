package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * fp16 numerics on the CPU (libtorch's CPU kernels take fp16 too, only slowly): a GPT-2-sized residual
 * of ~10³ overflows fp16 when squared, so LN's statistics and the hooked pattern must come out in fp32.
 */
class HalfPrecisionTest {

    /** x of magnitude 10³ over D = 768: (x − μ)² ≈ 10⁶ exceeds fp16's largest finite value, 65504. */
    private static NDArray largeResidual(NDManager manager) {
        float[] x = new float[768];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 2 == 0 ? 1000f : -1000f) + i;
        }
        return manager.create(x).reshape(1, 768).toType(DataType.FLOAT16, false);
    }

    @Test
    void layerNormStatisticsOfALargeFp16ResidualAreComputedInFp32() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = largeResidual(manager);
            float naive = LayerNormStats.of(x, 1e-5f).scale().toType(DataType.FLOAT32, false).getFloat(0, 0);
            assertTrue(Float.isInfinite(naive), "fp16 arithmetic overflows here, else this test proves nothing: " + naive);
            LayerNormStats stats = LayerNormStats.ofActivation(x, 1e-5f);
            assertEquals(DataType.FLOAT32, stats.scale().getDataType());
            // Reference in double from the fp16-rounded inputs: σ ≈ 1000.07.
            double[] in = new double[768];
            float[] rounded = x.toType(DataType.FLOAT32, false).toFloatArray();
            double mean = 0;
            for (int i = 0; i < in.length; i++) {
                mean += rounded[i] / 768.0;
            }
            double var = 0;
            for (float r : rounded) {
                var += (r - mean) * (r - mean) / 768.0;
            }
            assertEquals(Math.sqrt(var + 1e-5), stats.scale().getFloat(0, 0), 1e-3);
            assertEquals(Math.sqrt(768), stats.normalized().norm().getFloat(), 1e-3, "x̂ lies on the sphere of radius √D");
        }
    }

    @Test
    void anFp16ModelHandsOutFp32StatisticsCloseToTheFp32Models() {
        Gpt2Config config = Gpt2Config.of(2, 2, 64, 50, 16);
        Gpt2Weights weights = RandomGpt2.generate(config, 7, 0.1);
        for (String name : new String[] {"wte.weight", "wpe.weight"}) {   // residual entries of ~500, as in GPT-2's later layers
            float[] data = weights.get(name).data();
            for (int i = 0; i < data.length; i++) {
                data[i] *= 5000f;
            }
        }
        Set<String> hooks = new HashSet<>();
        for (int l = 0; l < 2; l++) {
            hooks.add(HookNames.block(l, HookNames.LN1_SCALE));
            hooks.add(HookNames.block(l, HookNames.LN2_NORMALIZED));
            hooks.add(HookNames.block(l, HookNames.ATTN_PATTERN));
        }
        HookPlan plan = HookPlan.forHooks(2, hooks);
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 14, 15, 9, 26, 5, 35, 8, 9, 7, 9, 3}, {27, 18, 28}});
        HookCapture fp32 = new HookCapture();
        HookCapture fp16 = new HookCapture();
        try (HookedGpt2 full = HookedGpt2.load(weights, Device.cpu(), DataType.FLOAT32);
             HookedGpt2 half = HookedGpt2.load(weights, Device.cpu(), DataType.FLOAT16);
             NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            full.forward(batch, plan, fp32, scope);
            half.forward(batch, plan, new HookListener() {
                @Override
                public void onHook(String name, NDArray value) {
                    assertEquals(DataType.FLOAT32, value.getDataType(), name + " reaches the analyses in fp32");
                    fp16.onHook(name, value);
                }
            }, scope);
        }
        for (String name : hooks) {
            float[] expected = fp32.get(name).data();
            float[] actual = fp16.get(name).data();
            boolean scale = name.endsWith(HookNames.LN1_SCALE);   // σ ≈ 700: fp16 weights leave ~1e-3 of it
            for (int i = 0; i < expected.length; i++) {
                assertTrue(Float.isFinite(actual[i]), name + "[" + i + "] = " + actual[i]);
                assertEquals(expected[i], actual[i], scale ? 1e-2 * expected[i] : 2e-2, name + "[" + i + "]");
            }
        }
    }
}
