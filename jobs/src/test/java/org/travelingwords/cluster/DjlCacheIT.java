package org.travelingwords.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.model.Gpt2Config;
import org.travelingwords.model.RandomGpt2;

/**
 * How the image gets libtorch, checked with the CPU build: docker/fill-djl-cache.sh unpacks the
 * build's pytorch-native jar into a fresh DJL cache, and a JVM without that jar on its classpath
 * (like the image's application jar), offline, runs the model from the cache alone. The image does
 * the same with the CUDA jar of {@code -Pcuda}, which cannot be loaded on a build host without a GPU.
 */
class DjlCacheIT {

    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @Test
    void theModelRunsFromTheFilledCacheWithoutTheNativeJar(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unzip")), "unzip is missing: fill-djl-cache.sh needs it");
        Path cache = TARGET.resolve("djl-cache-image");
        try {
            deleteTree(cache);
            String fill = run(List.of("bash", TARGET.resolve("../../docker/fill-djl-cache.sh").normalize().toString(),
                    TARGET.resolve("classpath.txt").toString(), cache.toString()), null, null);
            String flavor = Files.readString(cache.resolve("pytorch-flavor")).trim();
            List<String> filled = list(cache.resolve("pytorch"));
            assertEquals(1, filled.size(), fill);

            Path model = dir.resolve("model");
            RandomGpt2.generate(Gpt2Config.of(1, 2, 8, 50, 8), 3, 0.2).writeFolder(model);
            String classpath = Arrays.stream(Files.readString(TARGET.resolve("classpath.txt")).trim().split(":"))
                    .filter(jar -> !Path.of(jar).getFileName().toString().startsWith("pytorch-native-"))
                    .collect(Collectors.joining(":", TARGET.resolve("classes") + ":", ""));
            List<String> command = new ArrayList<>(JavaCommand.base());
            command.add("-Dai.djl.offline=true");
            command.addAll(List.of("-cp", classpath, "org.travelingwords.cli.TwCommand", "hooks", "--model",
                    model.toString(), "--tokens", "1,2,3", "--names", "logits", "--out", dir.resolve("h.safetensors").toString()));
            String output = run(command, cache, flavor);
            assertTrue(Files.size(dir.resolve("h.safetensors")) > 0, output);
            assertEquals(filled, list(cache.resolve("pytorch")), "DJL used the filled folder, extracted nothing else");
        } finally {
            deleteTree(cache); // ~450 MB of libtorch
        }
    }

    private static String run(List<String> command, Path djlCache, String flavor) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (djlCache != null) {
            builder.environment().put("DJL_CACHE_DIR", djlCache.toString());
            builder.environment().put("PYTORCH_FLAVOR", flavor);
        }
        Process p = builder.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), command + " hung");
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), command + ":\n" + output);
        return output;
    }

    private static List<String> list(Path folder) throws Exception {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
