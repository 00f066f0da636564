package org.travelingwords.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.travelingwords.attention.HeadAnalysis;
import org.travelingwords.attention.HeadLayer;
import org.travelingwords.geometry.SiteMetrics;
import org.travelingwords.geometry.SphereAnalysis;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.RandomGpt2;
import org.travelingwords.model.TokenBatch;

/** Analyses sharing one forward see exactly what each sees alone; the shared plan is their union. */
class OnePassForwardTest {

    private static final Gpt2Config CONFIG = Gpt2Config.of(2, 2, 16, 50, 16);

    @Test
    void sharedForwardGivesEachAnalysisWhatItGetsAlone() {
        TokenBatch batch = TokenBatch.of(new int[][] {{3, 9, 27, 4, 1}, {8, 2}});
        try (HookedGpt2 model = HookedGpt2.load(RandomGpt2.generate(CONFIG, 4, 0.3), Device.cpu());
             NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SphereAnalysis sphere = new SphereAnalysis(model, false);
            HeadAnalysis heads = new HeadAnalysis(model);
            int[] promoted = {2, 4};
            List<SiteMetrics> sphereAlone = new ArrayList<>();
            List<HeadLayer> headsAlone = new ArrayList<>();
            sphere.run(batch, scope, sphereAlone::add);
            OnePassForward.run(model, batch, scope, List.of(heads.into(promoted, headsAlone::add)));

            List<SiteMetrics> sphereShared = new ArrayList<>();
            List<HeadLayer> headsShared = new ArrayList<>();
            OnePassForward.run(model, batch, scope, List.of(sphere.into(sphereShared::add), heads.into(promoted, headsShared::add)));

            assertEquals(sphereAlone.size(), sphereShared.size());
            for (int i = 0; i < sphereAlone.size(); i++) {
                for (int m = 0; m < sphereAlone.get(i).values().length; m++) {
                    assertArrayEquals(sphereAlone.get(i).values()[m], sphereShared.get(i).values()[m], 1e-6f);
                }
            }
            assertEquals(headsAlone.size(), headsShared.size());
            for (int i = 0; i < headsAlone.size(); i++) {
                for (int m = 0; m < headsAlone.get(i).metrics().length; m++) {
                    assertArrayEquals(headsAlone.get(i).metrics()[m], headsShared.get(i).metrics()[m], 1e-6f);
                }
                assertArrayEquals(headsAlone.get(i).keyPositions(), headsShared.get(i).keyPositions());
                assertArrayEquals(headsAlone.get(i).promotedZ(), headsShared.get(i).promotedZ());
            }
            assertThrows(IllegalArgumentException.class, () -> OnePassForward.run(model, batch, scope, List.of()));
        }
    }

    @Test
    void unionRunsAsDeepAsTheDeepestPlan() {
        HookPlan shallow = HookPlan.forHooks(4, Set.of("blocks.0.hook_resid_pre"));
        HookPlan deep = HookPlan.forHooks(4, Set.of("blocks.2.attn.hook_pattern", "ln_final.hook_scale"));
        HookPlan union = OnePassForward.union(List.of(shallow, deep));
        assertEquals(Set.of("blocks.0.hook_resid_pre", "blocks.2.attn.hook_pattern", "ln_final.hook_scale"), union.hooks());
        assertEquals(3, union.lastLayer());
        assertEquals(true, union.finalNorm());
        assertEquals(false, union.logits());
    }
}
