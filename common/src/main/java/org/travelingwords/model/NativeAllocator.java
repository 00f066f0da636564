package org.travelingwords.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The glibc malloc settings under libtorch's CPU tensors (README "Native memory"). libtorch allocates every
 * activation afresh, and a GPT-2 block's scores and MLP activations are 25 MB each at 8 × 256. A JVM thread
 * allocates from one of glibc's per-thread arenas, which unmap such blocks when they are freed, so each batch
 * faults its pages in again: one {@code tw bench} took 6.0 M page faults and 34 s of system time in 126 s.
 * With one arena that serves blocks up to 32 MiB (glibc's largest mmap threshold) from its heap and never
 * trims it, the next batch reuses the freed pages: 1.6 M faults, 19 s. glibc reads these variables when a
 * process starts only, so bin/tw exports them and executors get them through {@code spark.executorEnv}.
 */
public final class NativeAllocator {

    /** Variable → value, in the order they are reported. */
    public static final Map<String, String> SETTINGS = settings();

    private NativeAllocator() {}

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("MALLOC_ARENA_MAX", "1");                     // every thread in the main arena, which can grow
        settings.put("MALLOC_MMAP_THRESHOLD_", "33554432");        // 32 MiB: glibc's largest; larger blocks are mapped
        settings.put("MALLOC_TRIM_THRESHOLD_", "17179869184");     // 16 GiB: freed memory stays for the next batch
        return Collections.unmodifiableMap(settings);
    }

    /** The value {@code env} gives variable {@code name}, if it is set and not blank. */
    public static Optional<String> valueIn(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(value -> !value.isBlank());
    }

    /** The settings {@code env} leaves unset (a variable set to another value is the user's choice). */
    public static List<String> missing(Map<String, String> env) {
        return SETTINGS.keySet().stream().filter(name -> valueIn(env, name).isEmpty()).toList();
    }

    /** {@link #warning(Map)} for this process; none off Linux, where these variables mean nothing. */
    public static Optional<String> warning() {
        return System.getProperty("os.name", "").startsWith("Linux") ? warning(System.getenv()) : Optional.empty();
    }

    /** A warning naming the settings {@code env} lacks, with the values that avoid the page faults. */
    static Optional<String> warning(Map<String, String> env) {
        List<String> missing = missing(env);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder wanted = new StringBuilder();
        missing.forEach(name -> wanted.append(' ').append(name).append('=').append(SETTINGS.get(name)));
        return Optional.of("glibc malloc gives libtorch's freed activations back to the kernel and faults them in "
                + "again every batch (up to 15% of a CPU forward's time); start this JVM with" + wanted
                + " (bin/tw and spark.executorEnv do: README \"Native memory\")");
    }
}
