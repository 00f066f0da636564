package org.travelingwords.cli;

import static org.travelingwords.cli.PrintedLines.NUMBER;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code tw bench --cluster} end to end on a small model shape: two real standalone clusters (one, then
 * two Workers) from the build's jars, each timing the job at two corpus sizes, and the machine lines' format
 * (the numbers are not asserted). The model is wide enough (≈ 7 MFLOP per token) that the larger corpus takes
 * seconds longer on either cluster, and each size is timed twice, so that the fit's slope is positive.
 */
class BenchClusterIT {

    @Test
    void printsEachRunsRateAndTheSpeedUp() {
        PrintedLines lines = PrintedLines.ofSuccessful("bench", "--layers", "2", "--heads", "2", "--d-model", "384",
                "--batch", "4", "--seq", "64", "--runs", "1", "--threads", "1", "--cluster", "--job-tokens", "20000",
                "--build-dir", Path.of("target").toAbsolutePath().toString());
        lines.assertOne("bench cluster_sphere workers=1 tokens_per_s=" + NUMBER + " fixed_s=" + NUMBER);
        lines.assertOne("bench cluster_sphere workers=2 tokens_per_s=" + NUMBER + " fixed_s=" + NUMBER);
        lines.assertOne("bench scale_out workers=2 speedup=" + NUMBER + " end_to_end_speedup=" + NUMBER);
    }
}
