package org.travelingwords.attention;

import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;
import org.travelingwords.model.HookedGpt2;

/**
 * Values the heads analysis derives once from a loaded model's weights (projections of them), kept
 * per model in arrays of its {@link HookedGpt2#newWeightScope() weight scope}, so they are freed with
 * the model. Concurrent tasks sharing a model compute each value once: the others wait for it.
 */
final class DerivedWeights {

    /** Weak keys: a closed, unreferenced model takes its cache with it. */
    private static final Map<HookedGpt2, DerivedWeights> BY_MODEL = Collections.synchronizedMap(new WeakHashMap<>());

    private final Map<Object, FutureTask<Object>> values = new ConcurrentHashMap<>();

    private DerivedWeights() {}

    static DerivedWeights of(HookedGpt2 model) {
        return BY_MODEL.computeIfAbsent(model, m -> new DerivedWeights());
    }

    /** {@code key}'s value, computed by the first caller with a fresh weight-scope manager of {@code model}. */
    @SuppressWarnings("unchecked")
    <T> T get(HookedGpt2 model, Object key, Function<NDManager, T> compute) {
        FutureTask<Object> task = values.get(key);
        try {
            return (T) (task != null ? task : claim(model, key, compute)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + key, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Computes {@code key}'s value unless some task already started it, and returns at once then:
     * tasks that each walk a list of values this way share the work instead of waiting in line.
     */
    void computeUnlessClaimed(HookedGpt2 model, Object key, Function<NDManager, ?> compute) {
        if (!values.containsKey(key)) {
            claim(model, key, compute);
        }
    }

    /** Runs the computation of {@code key} here if this call claims it, else returns the claimant's. */
    private FutureTask<Object> claim(HookedGpt2 model, Object key, Function<NDManager, ?> compute) {
        FutureTask<Object> mine = new FutureTask<>(() -> computeIn(model.newWeightScope(), compute));
        FutureTask<Object> claimed = values.putIfAbsent(key, mine);
        if (claimed != null) {
            return claimed;
        }
        mine.run();
        try {
            mine.get();                      // done: run() returned
        } catch (ExecutionException | InterruptedException e) {
            values.remove(key, mine);        // a failure (out of memory, say) is not remembered: the next use retries
        }
        return mine;
    }

    /** A failed computation frees what it had made, or its (GPU) arrays would stay for the model's life. */
    private static Object computeIn(NDManager manager, Function<NDManager, ?> compute) {
        try {
            return compute.apply(manager);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }
}
