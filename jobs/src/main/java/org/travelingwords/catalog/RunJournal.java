package org.travelingwords.catalog;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a committing run must undo if it does not finish: each table's version before the run's first
 * commit to it, kept in {@code <out>/_journal/<run_id>.json} from before that commit until the run's
 * last commit (its {@code runs} row). A journal left behind is a run whose driver died: the next writer
 * restores the tables to these versions ({@link RunLifecycle}).
 *
 * @param versions table → its version before this run ({@link TableStore#NO_TABLE}: it did not exist)
 */
record RunJournal(String runId, String runDate, String command, String modelId, String startedAt, long attempt,
                  Map<String, Long> versions) {

    private static final Gson GSON = new GsonBuilder().create();
    private static final String SUFFIX = ".json";

    RunJournal {
        versions = new LinkedHashMap<>(versions);
    }

    /** This journal with {@code table}'s version recorded (the first record of a table wins). */
    RunJournal with(String table, long version) {
        Map<String, Long> more = new LinkedHashMap<>(versions);
        more.putIfAbsent(table, version);
        return new RunJournal(runId, runDate, command, modelId, startedAt, attempt, more);
    }

    /** Writes the journal whole: to a temporary file first, then renamed over the old one. */
    void write(TableLayout layout) throws IOException {
        FileSystem fs = layout.fs();
        Path target = file(layout, runId);
        Path temporary = new Path(layout.journal(), "." + runId + SUFFIX + ".tmp");
        fs.mkdirs(layout.journal());
        try (OutputStream out = fs.create(temporary, true)) {
            out.write(GSON.toJson(this).getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(target, false);
        if (!fs.rename(temporary, target)) {
            throw new IOException("could not write the run journal " + target);
        }
    }

    void delete(TableLayout layout) throws IOException {
        layout.fs().delete(file(layout, runId), false);
    }

    /** The journals of runs that did not finish, oldest run id first. */
    static List<RunJournal> unfinished(TableLayout layout) throws IOException {
        List<RunJournal> journals = new ArrayList<>();
        for (FileStatus status : layout.listOrEmpty(layout.journal())) {
            String name = status.getPath().getName();
            if (status.isFile() && name.endsWith(SUFFIX) && !name.startsWith(".")) {
                try (Reader reader = new InputStreamReader(layout.fs().open(status.getPath()), StandardCharsets.UTF_8)) {
                    journals.add(GSON.fromJson(reader, RunJournal.class));
                }
            }
        }
        journals.sort((a, b) -> a.runId().compareTo(b.runId()));
        return journals;
    }

    private static Path file(TableLayout layout, String runId) {
        return new Path(layout.journal(), runId + SUFFIX);
    }
}
