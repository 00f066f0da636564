package org.travelingwords.exec;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The executor JVMs whose model served a run's successful tasks, as their task results reported them
 * (runs.model_loads and runs.executors, DESIGN §7). Each JVM loads a model once for all its tasks
 * ({@link ExecutorCache}), so the count of distinct JVMs is the count of loads; a retried task or a
 * re-run stage reports a JVM already in the set, which is why this is a set and not an accumulator.
 */
public record ModelLoads(SortedSet<String> jvms) implements Serializable {

    public static final ModelLoads NONE = new ModelLoads(new TreeSet<>());

    public ModelLoads {
        jvms = new TreeSet<>(jvms);
    }

    /** The JVM this task runs in, whose cached model served it. */
    public static ModelLoads here() {
        return new ModelLoads(new TreeSet<>(List.of(ExecutorJvm.identity())));
    }

    /** The JVMs of every task output in {@code outputs}. */
    public static ModelLoads of(Collection<? extends Served<?>> outputs) {
        TreeSet<String> jvms = new TreeSet<>();
        outputs.forEach(o -> jvms.addAll(o.loads().jvms()));
        return new ModelLoads(jvms);
    }

    public ModelLoads plus(ModelLoads other) {
        TreeSet<String> union = new TreeSet<>(jvms);
        union.addAll(other.jvms);
        return new ModelLoads(union);
    }

    public long count() {
        return jvms.size();
    }

    /** executor-id@host:pid of each JVM, sorted. */
    public List<String> list() {
        return List.copyOf(jvms);
    }
}
