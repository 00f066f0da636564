package org.travelingwords.exec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What an executor JVM loads once and shares among all its tasks (the device model, the host
 * weights): the first task to ask loads it; the others wait for it and reuse it. The tasks report
 * how many times their JVM loaded their key ({@link #loads}), which is how a run counts its loads.
 */
final class ExecutorCache<T> {

    /**
     * Completed loads per cache name and key in this JVM, kept apart from the caches themselves: were a
     * cache ever built per task, or its key to vary between tasks, the counts would show it.
     */
    private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    private final String name;
    private final Map<String, T> values = new ConcurrentHashMap<>();

    ExecutorCache(String name) {
        this.name = name;
    }

    /** The value of {@code key}, loaded by {@code load} on this JVM's first call. */
    T get(String key, Supplier<T> load) {
        return values.computeIfAbsent(key, k -> {
            T loaded = load.get();
            LOADS.computeIfAbsent(name + ":" + k, c -> new AtomicInteger()).incrementAndGet();
            return loaded;
        });
    }

    /** This JVM with the number of times it loaded {@code key} so far. */
    ModelLoads loads(String key) {
        AtomicInteger count = LOADS.get(name + ":" + key);
        return ModelLoads.of(ExecutorJvm.identity(), count == null ? 0 : count.get());
    }
}
