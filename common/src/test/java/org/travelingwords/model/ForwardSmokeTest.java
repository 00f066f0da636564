package org.travelingwords.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ForwardSmokeTest {
    @Test
    void runs() {
        Gpt2Config c = Gpt2Config.of(2, 4, 32, 100, 16);
        try (HookedGpt2 model = HookedGpt2.load(RandomGpt2.generate(c, 1, 0.3), Device.cpu());
             NDManager scope = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            HookCapture cap = new HookCapture();
            model.forward(TokenBatch.of(new int[][] {{1, 2, 3, 4}, {5, 6}}),
                    HookPlan.forHooks(2, new java.util.LinkedHashSet<>(HookNames.all(2))), cap, scope);
            cap.captured().forEach((k, v) -> System.out.println(k + " " + v));
        }
    }
}
