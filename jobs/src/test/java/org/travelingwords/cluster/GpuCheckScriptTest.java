package org.travelingwords.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/gpu-check.sh without a GPU: its syntax, and that it stops at the first failing step with one
 * clear line, using a stub nvidia-smi and a stub tw first on PATH.
 */
class GpuCheckScriptTest {

    private static final Path SCRIPT = Path.of("..").toAbsolutePath().normalize().resolve("tools/gpu-check.sh");

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        assertTrue(file.toFile().setExecutable(true));
    }

    /** Runs the script with {@code bin} first on PATH; returns its exit code, then its stdout lines. */
    private static List<String> smoke(Path dir, Path bin) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("TW", bin.resolve("tw").toString());
        builder.environment().put("TW_SMOKE_DIR", dir.resolve("work").toString());
        builder.environment().remove("CUDA_VISIBLE_DEVICES");
        builder.environment().remove("DJL_CACHE_DIR");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = builder.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gpu-check.sh hung");
        List<String> lines = new java.util.ArrayList<>(List.of(Integer.toString(p.exitValue())));
        lines.addAll(new String(p.getInputStream().readAllBytes()).lines().toList());
        return lines;
    }

    @Test
    void scriptParses() throws Exception {
        Process p = new ProcessBuilder("bash", "-n", SCRIPT.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void aDriverlessMachineStopsAtTheFirstStep(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("nvidia-smi"), "echo 'NVIDIA-SMI has failed because it could not communicate with the driver' >&2\nexit 9\n");
        executable(bin.resolve("tw"), "echo 'tw must not run' > " + dir.resolve("tw-ran") + "\n");
        List<String> out = smoke(dir, bin);
        assertEquals("1", out.get(0));
        assertEquals(2, out.size(), "one line, then nothing: " + out);
        assertTrue(out.get(1).startsWith("FAILED 1 nvidia-smi: NVIDIA-SMI has failed because it could not communicate with "
                + "the driver (exit 9; log "), out.get(1));
        assertTrue(!Files.exists(dir.resolve("tw-ran")), "a later step ran");
    }

    @Test
    void aCpuBuildStopsAtTheEngineStepAfterTheGpusWereFound(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("nvidia-smi"), """
                case "$*" in
                  *index,uuid*) printf '0, GPU-aa11\\n1, GPU-bb22\\n' ;;
                  *memory.total*) printf '0, NVIDIA H100, 550.54.15, 81559 MiB\\n1, NVIDIA H100, 550.54.15, 81559 MiB\\n' ;;
                  *name,driver_version*) printf 'NVIDIA H100, 550.54.15\\nNVIDIA H100, 550.54.15\\n' ;;
                  *) printf '0\\n1\\n' ;;
                esac
                """);
        executable(bin.resolve("tw"), """
                [ "$1" = devices ] || { echo "unexpected tw $*"; exit 3; }
                echo 'engine PyTorch 2.7.1 cuda_build=false gpus=0 libtorch=/cache/pytorch/2.7.1-20250812-cpu-linux-x86_64'
                echo 'device cpu(): matmul ok, fp16 cast ok (2 ms)'
                """);
        List<String> out = smoke(dir, bin);
        assertEquals(List.of("1",
                "ok 1 nvidia-smi: 2 GPU(s); first: NVIDIA H100, 550.54.15",
                "ok 2 discovery: {\"name\": \"gpu\", \"addresses\": [\"0\",\"1\"]}"), out.subList(0, 3));
        assertEquals(4, out.size(), out.toString());
        assertTrue(out.get(3).startsWith("FAILED 3 engine: not a CUDA build: engine PyTorch 2.7.1 cuda_build=false gpus=0"),
                out.get(3));
    }
}
