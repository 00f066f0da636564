package org.travelingwords.exec;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The executor JVMs whose model served a run's successful tasks, each with the number of times it had
 * loaded that model, as the task results reported them (runs.model_loads and runs.executors, DESIGN §7).
 * A JVM's count only grows, so two reports of one JVM merge to the larger; a retried task or a re-run
 * stage reporting a JVM again adds nothing, which is why this is merged from results and not summed
 * in an accumulator. A JVM should load each model once ({@link ExecutorCache}): loads above the JVM
 * count mean it did not.
 */
public record ModelLoads(SortedMap<String, Integer> loadsByJvm) implements Serializable {

    public static final ModelLoads NONE = new ModelLoads(new TreeMap<>());

    public ModelLoads {
        loadsByJvm = new TreeMap<>(loadsByJvm);
    }

    /** {@code jvm} (executor-id@host:pid) having loaded the model {@code loads} times. */
    public static ModelLoads of(String jvm, int loads) {
        return new ModelLoads(new TreeMap<>(Map.of(jvm, loads)));
    }

    /** The JVMs of every task output in {@code outputs}. */
    public static ModelLoads of(Collection<? extends Served<?>> outputs) {
        ModelLoads all = NONE;
        for (Served<?> output : outputs) {
            all = all.plus(output.loads());
        }
        return all;
    }

    public ModelLoads plus(ModelLoads other) {
        TreeMap<String, Integer> merged = new TreeMap<>(loadsByJvm);
        other.loadsByJvm.forEach((jvm, loads) -> merged.merge(jvm, loads, Math::max));
        return new ModelLoads(merged);
    }

    /** Model loads over all the JVMs. */
    public long count() {
        return loadsByJvm.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** executor-id@host:pid of each JVM, sorted. */
    public List<String> list() {
        return List.copyOf(loadsByJvm.keySet());
    }
}
