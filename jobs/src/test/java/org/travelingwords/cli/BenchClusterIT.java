package org.travelingwords.cli;

import static org.travelingwords.cli.PrintedLines.NUMBER;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code tw bench --cluster} end to end on a tiny model shape: two real standalone clusters (one, then
 * two Workers) from the build's jars, and the machine lines' format (the numbers are not asserted).
 */
class BenchClusterIT {

    @Test
    void printsEachRunsRateAndTheSpeedUp() {
        PrintedLines lines = PrintedLines.ofSuccessful("bench", "--layers", "1", "--heads", "2", "--d-model", "32",
                "--batch", "2", "--seq", "32", "--runs", "1", "--threads", "1", "--cluster", "--job-tokens", "4000",
                "--build-dir", Path.of("target").toAbsolutePath().toString());
        lines.assertOne("bench cluster_sphere workers=1 tokens_per_s=" + NUMBER);
        lines.assertOne("bench cluster_sphere workers=2 tokens_per_s=" + NUMBER);
        lines.assertOne("bench scale_out workers=2 speedup=" + NUMBER);
    }
}
