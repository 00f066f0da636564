package org.travelingwords.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code demo} model: a tiny GPT-2 with the full 50257-token vocabulary and deterministic
 * random weights, generated on first use into a cache folder and reused after.
 */
public final class DemoModel {

    public static final String NAME = "demo";
    public static final Gpt2Config CONFIG = Gpt2Config.of(4, 4, 64, 50257, 256);
    public static final long SEED = 20230913L;
    public static final double STD = 0.1;

    private final Path cacheRoot;

    public DemoModel(Path cacheRoot) {
        this.cacheRoot = cacheRoot;
    }

    /** {@code $TW_CACHE} or {@code ~/.cache/traveling-words}. */
    public static DemoModel inDefaultCache() {
        String env = System.getenv("TW_CACHE");
        Path root = env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "traveling-words");
        return new DemoModel(root);
    }

    public Path folder() {
        return cacheRoot.resolve("models").resolve("demo-l4-h4-d64-s" + SEED);
    }

    /** Generates the folder unless a complete one is there; safe when two processes race. */
    public Path ensure() throws IOException {
        Path folder = folder();
        if (HubCache.isComplete(folder)) {
            return folder;
        }
        Files.createDirectories(folder.getParent());
        Path staging = Files.createTempDirectory(folder.getParent(), "demo-staging");
        RandomGpt2.generate(CONFIG, SEED, STD).writeFolder(staging);
        try {
            Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            if (!HubCache.isComplete(folder)) {
                throw raced;
            }
            deleteTree(staging);
        }
        return folder;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
