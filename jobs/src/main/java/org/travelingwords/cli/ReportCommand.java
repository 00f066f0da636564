package org.travelingwords.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.travelingwords.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tw report}: the run's tables as one HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write --out/report/index.html: one self-contained page (charts embedded, no network) "
                + "about one run — its ledger row and rejects, the sphere, the heads, the probes, the trajectories — "
                + "each section present when the run has its tables.")
public final class ReportCommand extends OutFolderCommand {

    @Option(names = "--run-id", description = "The run to report on (default: the newest succeeded run in the runs ledger).")
    String runId;

    @Option(names = "--compare", paramLabel = "RUN_ID",
            description = "Another run of the same out folder to compare with, layer by layer.")
    String compareRunId;

    @Override
    int read(SparkOptions session) throws IOException {
        String page = new ReportWriter(session.session(), out).write(runId, compareRunId);
        PrintWriter stdout = stdout();
        stdout.println("report: " + page);
        stdout.flush();
        return 0;
    }
}
