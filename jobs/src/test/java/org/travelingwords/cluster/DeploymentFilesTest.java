package org.travelingwords.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deployment files: docker-compose.yml validated by Debian's docker-compose (no engine runs
 * here, `config` needs none), and the GPU discovery script's output on a machine without GPUs.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    @Test
    void composeFileIsValid() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/docker-compose")),
                "docker-compose is missing: .ci/run installs Debian's docker-compose package");
        run(ROOT, "docker-compose", "-f", "docker-compose.yml", "config", "-q");
        String resolved = run(ROOT, "docker-compose", "-f", "docker-compose.yml", "config");
        for (String service : new String[] {"spark-master:", "spark-worker-1:", "spark-worker-2:", "history:", "submit:"}) {
            assertTrue(resolved.contains(service), "service " + service);
        }
        assertTrue(resolved.contains("driver: nvidia"), "workers reserve NVIDIA GPUs");
    }

    @Test
    void discoveryScriptPrintsSparkResourceJson() throws Exception {
        String json = run(ROOT, "bash", "conf/gpu-discovery.sh").trim();
        assertTrue(json.matches("\\{\"name\": \"gpu\", \"addresses\": \\[(\"\\d+\"(,\"\\d+\")*)?\\]\\}"), json);
    }
}
