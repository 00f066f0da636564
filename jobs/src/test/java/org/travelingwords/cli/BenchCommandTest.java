package org.travelingwords.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.travelingwords.cli.PrintedLines.NUMBER;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tw bench} end to end on tiny model shapes: the machine lines' format, not their numbers
 * (timings are never asserted).
 */
class BenchCommandTest {

    @Test
    void printsTheCpuBothGemmPathsAndEachPathsForward() {
        PrintedLines lines = PrintedLines.ofSuccessful("bench", "--layers", "1", "--heads", "2", "--d-model", "16",
                "--batch", "1", "--seq", "8", "--runs", "1", "--threads", "1");
        lines.assertOne("bench cpu model=\".+\" isa=(avx512|avx2|pre-avx2) cores=\\d+");
        lines.assertOne("bench gemm path=libtorch gflops=" + NUMBER + " chosen=(true|false)");
        lines.assertOne("bench gemm path=openblas gflops=" + NUMBER + " chosen=(true|false) openblas_core=[A-Z0-9]+");
        lines.assertOne("bench gemm .*chosen=true.*");
        for (String path : List.of("libtorch", "openblas")) {
            lines.assertOne("bench forward_nologits gemm=" + path + " tokens_per_s=" + NUMBER + " mfu=\\d+\\.\\d{3}");
            lines.assertOne("bench matmul gemm=" + path + " gflops=" + NUMBER + " threads=1");
            lines.assertOne("bench forward_nologits_tasks gemm=" + path + " tasks=1 tokens_per_s=" + NUMBER + " mfu=\\d+\\.\\d{3}");
        }
        lines.assertOne("bench forward_logits gemm=(libtorch|openblas) tokens_per_s=" + NUMBER + " mfu=\\d+\\.\\d{3}");
        lines.assertOne("bench forward_hooked gemm=(libtorch|openblas) tokens_per_s=" + NUMBER + " mfu=\\d+\\.\\d{3}");
    }

    @Test
    void withTwoThreadsEachPathRunsAsConcurrentOneThreadTasks() {
        PrintedLines lines = PrintedLines.ofSuccessful("bench", "--layers", "1", "--heads", "2", "--d-model", "16",
                "--batch", "1", "--seq", "8", "--runs", "1", "--threads", "2", "--precision", "fp16");
        lines.assertOne("model: L1 H2 D16 V50257 \\(random\\), batch 1 x 8, cpu\\(\\), fp32, 2 torch threads, \\d+ cores"); // fp16 is for GPUs
        for (String path : List.of("libtorch", "openblas")) {
            lines.assertOne("bench forward_nologits_tasks gemm=" + path + " tasks=2 tokens_per_s=" + NUMBER + " mfu=\\d+\\.\\d{3}");
        }
        // one forward on two threads multiplies on libtorch whatever the path: only the chosen path prints it
        lines.assertOne("bench forward_nologits gemm=.*");
        lines.assertOne("bench matmul gemm=.* threads=2");
    }

    @Test
    void jobPrintsSteadyStateAndFixedCostPerAnalysisSet() {
        // A model wide enough (≈ 7 MFLOP per token) that 10,000 more tokens take about a second more, and each size
        // timed twice with the fastest kept (--job-repeats 2): the larger corpus must take longer, or the fit refuses.
        PrintedLines lines = PrintedLines.ofSuccessful("bench", "--layers", "2", "--heads", "2", "--d-model", "384",
                "--batch", "4", "--seq", "64", "--runs", "1", "--threads", "1", "--job", "--job-tokens", "10000",
                "--analyses", "sphere,heads");
        lines.assertOne("bench job_sphere tokens_per_s=" + NUMBER + " fixed_s=" + NUMBER);
        lines.assertOne("bench job_sphere_heads tokens_per_s=" + NUMBER + " fixed_s=" + NUMBER + " ratio_to_sphere=" + NUMBER);
    }

    @Test
    void clusterSaysHowToBuildWhatItNeeds(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = TwCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(1, cli.execute("bench", "--cluster", "--build-dir", dir.toString()));
        assertEquals("tw bench: " + dir.resolve("traveling-words-app.jar") + " is missing: the executors load our classes "
                + "from it; `./mvnw -DskipTests package` builds it", err.toString().trim());
    }
}
