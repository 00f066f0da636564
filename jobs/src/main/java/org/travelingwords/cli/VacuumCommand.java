package org.travelingwords.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.OutFolderLock;
import org.travelingwords.catalog.OutFolderLockedException;
import org.travelingwords.catalog.RunLifecycle;
import org.travelingwords.catalog.RunStamp;
import org.travelingwords.catalog.TableStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tw vacuum}: compacts the tables' small files and deletes the files no kept version needs. */
@Command(name = "vacuum", mixinStandardHelpOptions = true,
        description = {"Compact every table under --out (Delta OPTIMIZE) and delete the data files that no version "
                + "younger than --retain-hours still needs (Delta VACUUM). Runs left unfinished by a lost driver are "
                + "rolled back first.",
                "Time travel (tw sql --as-of) reaches back only as far as the files kept."})
public final class VacuumCommand implements Callable<Integer> {

    /** Delta's own default: a week of versions stays readable. */
    static final double DEFAULT_RETAIN_HOURS = 168;

    @Option(names = "--out", required = true, description = "The out folder holding the tables.")
    String out;

    @Option(names = "--retain-hours", defaultValue = "168",
            description = "Keep the files of every version younger than this (default: ${DEFAULT-VALUE}, Delta's). "
                    + "Less than 168 h also turns off Delta's safety check: a reader of an older version may fail.")
    double retainHours;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        if (retainHours < 0) {
            throw new IllegalArgumentException("--retain-hours must be at least 0, not " + retainHours);
        }
        try (SparkOptions session = spark) {
            SparkSession sparkSession = session.session();
            if (retainHours < DEFAULT_RETAIN_HOURS) {
                sparkSession.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
            }
            try (OutFolderLock lock = lock(sparkSession)) {
                TableStore store = new TableStore(sparkSession, out);
                RunLifecycle.recoverUnfinished(store);
                for (String table : store.tables()) {
                    store.compactAndVacuum(table, retainHours);
                    System.out.printf(Locale.ROOT, "%s: compacted, files older than %.1f h removed (version %d)%n",
                            table, retainHours, store.version(table));
                }
            }
        }
        return 0;
    }

    /** Vacuum rewrites and deletes files: it holds the out folder like any writing command. */
    private OutFolderLock lock(SparkSession sparkSession) throws ConfigurationException, OutFolderLockedException {
        RunPreflight preflight = new RunPreflight(sparkSession);
        preflight.existingOut(out);
        return preflight.lockOut(out, RunStamp.of(null, null), "vacuum");
    }
}
