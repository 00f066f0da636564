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
 *   &lt;out&gt;/&lt;table&gt;/                 a Delta Lake table: _delta_log/ and run_date=D/part-*.parquet
 *   &lt;out&gt;/_journal/&lt;run_id&gt;.json    a run that is committing: the table versions to restore if it fails
 * </pre>
 * Names starting with {@code _} or {@code .} are never tables.
 */
final class TableLayout {

    static final String DELTA_LOG = "_delta_log";

    // Run ids become file names: keep them to characters every file system accepts.
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

    Path journal() {
        return new Path(root, "_journal");
    }

    /** The Delta tables under the out folder, sorted; empty when the out folder does not exist. */
    List<String> tables() throws IOException {
        List<String> tables = new ArrayList<>();
        for (FileStatus child : listOrEmpty(root)) {
            String name = child.getPath().getName();
            if (child.isDirectory() && TABLE_NAME.matcher(name).matches() && isDeltaTable(name)) {
                tables.add(name);
            }
        }
        Collections.sort(tables);
        return tables;
    }

    boolean isDeltaTable(String table) throws IOException {
        return fs.exists(new Path(table(table), DELTA_LOG));
    }

    FileStatus[] listOrEmpty(Path dir) throws IOException {
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
