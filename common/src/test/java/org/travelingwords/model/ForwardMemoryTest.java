package org.travelingwords.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1,000 forwards in a loop must leave native memory flat: nothing may outlive its block or its call.
 * Runs in its own JVM with a small, pre-touched heap (the "memory" surefire execution), so that RSS
 * growth is native growth and not the Java heap filling in.
 */
@Tag("memory")
class ForwardMemoryTest {

    @Test
    void thousandForwardsLeaveArraysAndRssFlat() throws IOException {
        Gpt2Config config = Gpt2Config.of(2, 4, 256, 500, 64);
        Set<String> hooks = new HashSet<>();
        for (int l = 0; l < 2; l++) {
            hooks.add(HookNames.block(l, "hook_resid_mid"));
            hooks.add(HookNames.block(l, "attn.hook_pattern"));
            hooks.add(HookNames.block(l, "attn.hook_result"));
            hooks.add(HookNames.block(l, "ln1.hook_scale"));
        }
        hooks.add(HookNames.LOGITS);
        HookPlan plan = HookPlan.forHooks(2, hooks);
        int[][] rows = {new int[64], new int[64], new int[40], new int[17]};
        for (int[] row : rows) {
            for (int t = 0; t < row.length; t++) {
                row[t] = (t * 37 + row.length) % 500;
            }
        }
        TokenBatch batch = TokenBatch.of(rows);
        double[] sink = new double[1];
        HookListener reduceToHost = (name, value) -> {
            try (NDArray sum = value.sum()) {
                sink[0] += sum.getFloat();
            }
        };
        try (HookedGpt2 model = HookedGpt2.load(RandomGpt2.generate(config, 3, 0.1), Device.cpu());
             NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            int weightArrays = model.weightArrayCount();
            long rssAfterWarmup = 0;
            for (int i = 0; i < 1300; i++) {
                model.forward(batch, plan, reduceToHost, scope);
                if (i == 299) { // after JIT and allocator warm-up
                    System.gc();
                    rssAfterWarmup = nativeResidentKiB();
                }
            }
            System.gc();
            long growthKiB = nativeResidentKiB() - rssAfterWarmup;
            assertEquals(weightArrays, model.weightArrayCount(), "a forward created arrays in the weights' manager");
            assertEquals(0, ((BaseNDManager) scope).getManagedArrays().size(), "arrays outlived the forward");
            // One leaked [4, 64, 256] activation per call would add 256 MiB over these 1,000 calls.
            assertTrue(growthKiB < 48 * 1024, "RSS less the Java heap grew by " + growthKiB + " KiB over 1,000 forwards");
            assertTrue(Double.isFinite(sink[0]));
        }
    }

    /**
     * RSS less the committed Java heap: activations live outside it, and G1 may grow its young generation by
     * tens of MiB over these calls (it did on the OpenBLAS path, whose products allocate differently).
     */
    private static long nativeResidentKiB() throws IOException {
        return residentKiB() - ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    }

    private static long residentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
