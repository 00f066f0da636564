package org.travelingwords.cli;

import java.io.File;
import org.travelingwords.catalog.OutFolderLock;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.nightly.NightPlan;
import org.travelingwords.nightly.NightlyRun;
import org.travelingwords.pass.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tw nightly}: {@code tw run} over a growing corpus, reading only the files its lineage has not
 * read, writing this night's aggregates ({@code scope = run}) and the lineage's cumulative ones.
 */
@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"Run the analyses over the corpus files not read yet by this model and configuration (the lineage), "
                + "and write this night's aggregates (scope = run) with the lineage's cumulative ones (scope = cumulative), "
                + "merged from the previous night's state: a rerun of a night changes nothing.",
            "A file read by an earlier night that changed or disappeared makes the night rebuild from scratch "
                + "(runs.mode says why), unless --on-change fail. A night dated before the lineage's newest night is "
                + "refused unless --full; the newest night may be rerun (it is replaced)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the night succeeded",
            "1:the night failed (recorded in runs; its tables rolled back, the next night redoes its files)",
            "2:usage or configuration error, a changed file with --on-change fail, or a date before the newest night; "
                + "nothing was written",
            "3:another writing command holds --out (its lock names it)"})
final class NightlyCommand extends RunCommand {

    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file whose keys are this command's long option names without dashes "
                    + "(corpus = hdfs:///news/, batch-tokens = 8192, ...); options on the command line win.")
    File config;

    @Option(names = "--full", description = "Rebuild the lineage from scratch over every current file.")
    boolean full;

    @Option(names = "--on-change", defaultValue = "rebuild",
            description = "When a file read by an earlier night changed or disappeared: rebuild (from scratch) "
                    + "or fail (exit 2 naming the files) (default: ${DEFAULT-VALUE}).")
    String onChange;

    @Override
    public Integer call() throws Exception {
        NightPlan.OnChange whenChanged = switch (onChange) {
            case "rebuild" -> NightPlan.OnChange.REBUILD;
            case "fail" -> NightPlan.OnChange.FAIL;
            default -> throw new ConfigurationException("--on-change must be rebuild or fail, not '" + onChange + "'");
        };
        RunStamp stamp = job.stamp();
        RunConfig runConfig = config(stamp);
        try (SparkOptions session = job.spark) {
            Checked checked = preflight(session, runConfig, stamp, "nightly");
            try (OutFolderLock lock = checked.lock()) {
                NightlyRun night = new NightlyRun(session.session(), runConfig, stamp.runId(), VersionProvider.version());
                NightlyRun.Planned planned;
                try {
                    planned = night.plan(checked.model(), full, whenChanged);
                } catch (NightPlan.Refused refused) {
                    throw new ConfigurationException(refused.getMessage());
                }
                RunRecord record = night.run(planned);
                System.out.println("night " + stamp.runDate() + " of lineage " + planned.lineage().id() + ": "
                        + planned.plan().mode());
                report(session, record);
            }
        }
        return 0;
    }
}
