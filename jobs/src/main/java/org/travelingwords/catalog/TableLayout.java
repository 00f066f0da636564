package org.travelingwords.catalog;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where things live under an out folder, on any Hadoop file system:
 * <pre>
 *   &lt;out&gt;/&lt;table&gt;/run_date=D/part-*.parquet      committed tables
 *   &lt;out&gt;/runs/run_date=D/&lt;run_id&gt;.parquet        the ledger, one file per run
 *   &lt;out&gt;/_staging/&lt;run_id&gt;/&lt;table&gt;/run_date=D/   a run's tables before commit
 * </pre>
 * Names starting with {@code _} or {@code .} are invisible to Spark's reader, which is what keeps
 * staged data out of every query.
 */
final class TableLayout {

    static final String STAGING = "_staging";
    static final String PARTITION_PREFIX = TableSchemas.RUN_DATE + "=";

    // Run ids become folder and file names: keep them to characters every file system accepts.
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    // Table folders become SQL view names.
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final FileSystem fs;
    private final Path root;

    TableLayout(Configuration conf, String outRoot) throws IOException {
        URI uri = new Path(outRoot).toUri();
        this.fs = FileSystem.get(uri, conf);
        this.root = fs.makeQualified(new Path(outRoot));
    }

    FileSystem fs() {
        return fs;
    }

    Path root() {
        return root;
    }

    Path table(String table) {
        return new Path(root, table);
    }

    Path partition(String table, String runDate) {
        return new Path(table(table), PARTITION_PREFIX + runDate);
    }

    Path staging(String runId) {
        return new Path(new Path(root, STAGING), runId);
    }

    Path stagedPartition(String runId, String table, String runDate) {
        return new Path(new Path(staging(runId), table), PARTITION_PREFIX + runDate);
    }

    /** Scratch space for writing one ledger file; apart from the run's staging so abort cannot race it. */
    Path ledgerScratch(String runId) {
        return new Path(new Path(new Path(root, STAGING), "_ledger"), runId);
    }

    Path ledgerFile(String runDate, String runId) {
        return new Path(partition(TableSchemas.RUNS, runDate), runId + ".parquet");
    }

    /** Table folders holding at least one run_date partition, sorted; empty when the out folder does not exist. */
    List<String> tables() throws IOException {
        List<String> tables = new ArrayList<>();
        for (FileStatus child : listOrEmpty(root)) {
            String name = child.getPath().getName();
            if (child.isDirectory() && TABLE_NAME.matcher(name).matches() && !runDates(name).isEmpty()) {
                tables.add(name);
            }
        }
        Collections.sort(tables);
        return tables;
    }

    /** The run dates present in a table, sorted. */
    List<String> runDates(String table) throws IOException {
        List<String> dates = new ArrayList<>();
        for (FileStatus child : listOrEmpty(table(table))) {
            String name = child.getPath().getName();
            if (child.isDirectory() && name.startsWith(PARTITION_PREFIX)) {
                dates.add(name.substring(PARTITION_PREFIX.length()));
            }
        }
        Collections.sort(dates);
        return dates;
    }

    /**
     * Deletes the shared staging folders once no run uses them. Best effort: a run starting at the
     * same moment makes the delete fail, which is fine (the folder is invisible anyway).
     */
    void removeEmptyStaging() {
        Path staging = new Path(root, STAGING);
        for (Path dir : new Path[] {new Path(staging, "_ledger"), staging}) {
            try {
                if (listOrEmpty(dir).length == 0) {
                    fs.delete(dir, false);
                }
            } catch (IOException e) {
                // another run is staging: leave the folder
            }
        }
    }

    private FileStatus[] listOrEmpty(Path dir) throws IOException {
        try {
            return fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        }
    }

    static String requireRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id '" + runId + "' must match " + RUN_ID.pattern());
        }
        return runId;
    }

    static String requireRunDate(String runDate) {
        try {
            if (runDate != null && LocalDate.parse(runDate).toString().equals(runDate)) {
                return runDate;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("run date '" + runDate + "' must be yyyy-MM-dd");
    }
}
