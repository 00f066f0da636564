package org.travelingwords.cli;

import java.nio.file.Path;
import org.travelingwords.catalog.OutFolderLock;
import org.travelingwords.catalog.OutFolderLockedException;
import org.travelingwords.catalog.RunStamp;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every job that writes a run's tables shares (tw run, tw probe, tw trajectory): which
 * model, which out folder, the run's date and id, and Spark's.
 */
final class JobOptions {

    @Option(names = "--model", defaultValue = "demo",
            description = "demo, a folder (local or Hadoop URI) with config.json + model.safetensors, or a hub name "
                    + "in the Hugging Face cache (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--out", defaultValue = "tw-out", description = "Output folder, local or Hadoop URI (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--run-date", description = "The run_date partition, yyyy-MM-dd (default: today, UTC).")
    String runDate;

    @Option(names = "--run-id", description = "Run id (default: generated).")
    String runId;

    @Mixin
    SparkOptions spark;

    /** The run's id and date, generated where not given. */
    RunStamp stamp() {
        return RunStamp.of(runDate, runId);
    }

    /** The model checked, then the out folder locked for run {@code stamp} of {@code command}: before any Spark work. */
    OutFolderLock checkModelAndLockOut(SparkOptions session, RunStamp stamp, String command)
            throws ConfigurationException, OutFolderLockedException {
        RunPreflight preflight = new RunPreflight(session.session());
        preflight.model(model);
        return preflight.lockOut(out, stamp, command);
    }

    /** Where the tables went, and how to query them. */
    String tablesLine() {
        String where = out.contains("://") ? out : Path.of(out).toAbsolutePath().toString();
        return "tables: " + where + "  (query them with: tw sql --out " + out + ")";
    }
}
