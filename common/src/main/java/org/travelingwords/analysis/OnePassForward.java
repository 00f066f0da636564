package org.travelingwords.analysis;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.travelingwords.model.HookListener;
import org.travelingwords.model.HookPlan;
import org.travelingwords.model.HookedGpt2;
import org.travelingwords.model.TokenBatch;

/**
 * One forward of a batch for every enabled analysis (DESIGN §1): the union of their hook plans is
 * run once and each hook goes to the analyses that asked for it, in the order they were given.
 */
public final class OnePassForward {

    private OnePassForward() {}

    public static void run(HookedGpt2 model, TokenBatch batch, NDManager scope, List<BatchAnalysis> analyses) {
        if (analyses.isEmpty()) {
            throw new IllegalArgumentException("a forward needs at least one analysis");
        }
        try (NDManager state = scope.newSubManager(model.device())) {
            Map<String, List<HookListener>> listeners = new HashMap<>();
            List<HookPlan> plans = new ArrayList<>();
            for (BatchAnalysis analysis : analyses) {
                HookListener listener = analysis.begin(batch, state);
                plans.add(analysis.plan());
                for (String hook : analysis.plan().hooks()) {
                    listeners.computeIfAbsent(hook, h -> new ArrayList<>()).add(listener);
                }
            }
            model.forward(batch, union(plans), (name, value) -> {
                for (HookListener listener : listeners.get(name)) {
                    listener.onHook(name, value);
                }
            }, state);
        }
    }

    /** Every hook of every plan; as deep, and with the final norm and logits, as the most demanding plan. */
    static HookPlan union(List<HookPlan> plans) {
        Set<String> hooks = new LinkedHashSet<>();
        int lastLayer = -1;
        boolean finalNorm = false;
        boolean logits = false;
        for (HookPlan plan : plans) {
            hooks.addAll(plan.hooks());
            lastLayer = Math.max(lastLayer, plan.lastLayer());
            finalNorm |= plan.finalNorm();
            logits |= plan.logits();
        }
        return new HookPlan(Set.copyOf(hooks), lastLayer, finalNorm, logits);
    }
}
