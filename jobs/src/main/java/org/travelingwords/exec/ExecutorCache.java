package org.travelingwords.exec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What an executor JVM loads once and shares among all its tasks (the device model, the host
 * weights): the first task to ask loads it; the others wait for it and reuse it. The tasks report the
 * JVM in their results ({@link Served}, {@link ModelLoads}), which is how a run counts its loads.
 */
final class ExecutorCache<T> {

    private final Map<String, T> values = new ConcurrentHashMap<>();

    /** The value of {@code key}, loaded by {@code load} on this JVM's first call. */
    T get(String key, Supplier<T> load) {
        return values.computeIfAbsent(key, k -> load.get());
    }
}
