package org.travelingwords.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-JVM cache loads a key once for all its tasks, and the loads it reports show a second load. */
class ExecutorCacheTest {

    @Test
    void concurrentTasksShareOneLoad() throws Exception {
        ExecutorCache<Object> cache = new ExecutorCache<>("shared-test");
        AtomicInteger calls = new AtomicInteger();
        ExecutorService tasks = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> values = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                values.add(tasks.submit(() -> cache.get("m", () -> {
                    calls.incrementAndGet();
                    return new Object();
                })));
            }
            Object first = values.get(0).get();
            for (Future<Object> value : values) {
                assertSame(first, value.get());
            }
        } finally {
            tasks.shutdownNow();
        }
        assertEquals(1, calls.get());
        ModelLoads loads = cache.loads("m");
        assertEquals(1, loads.count());
        assertEquals(List.of(ExecutorJvm.identity()), loads.list());
        assertEquals(0, cache.loads("never-asked").count());
    }

    @Test
    void aCacheBuiltPerTaskShowsAsSecondLoad() {
        // What a cache held by a serialized task closure would do: each task gets a fresh one.
        new ExecutorCache<>("per-task-test").get("m", Object::new);
        ExecutorCache<Object> second = new ExecutorCache<>("per-task-test");
        second.get("m", Object::new);
        ModelLoads loads = second.loads("m");
        assertEquals(1, loads.list().size(), "one JVM");
        assertEquals(2, loads.count(), "loaded twice");
    }

    @Test
    void reportsOfOneJvmMergeToItsLargestCountAndJvmsAdd() {
        ModelLoads a = ModelLoads.of("1@h:10", 1);
        ModelLoads retried = ModelLoads.of("1@h:10", 1);
        ModelLoads b = ModelLoads.of("2@h:11", 1);
        assertEquals(1, a.plus(retried).count(), "a retried task's report adds nothing");
        assertEquals(2, a.plus(b).plus(retried).count());
        assertEquals(List.of("1@h:10", "2@h:11"), b.plus(a).list());
        assertEquals(3, a.plus(ModelLoads.of("1@h:10", 2)).plus(b).count(), "a JVM that loaded twice counts twice");
        assertEquals(0, ModelLoads.NONE.count());
        assertEquals(2, ModelLoads.of(List.of(new Served<>("x", a), new Served<>("y", b), new Served<>("z", retried)))
                .count());
    }
}
