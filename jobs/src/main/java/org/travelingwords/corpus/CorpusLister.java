package org.travelingwords.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expands the {@code --corpus} arguments into files, on the driver: each argument is a file, a folder
 * (listed recursively) or a Hadoop glob, on any Hadoop file system.
 *
 * <p>Hidden entries ({@code .} or {@code _} prefixed, as Spark writes {@code _SUCCESS} and {@code .crc}
 * files) are skipped inside folders and among glob matches; a file named explicitly is always read.
 * An argument that yields no file is an error, never an empty corpus. A file reached twice is read once.
 * A sub-folder that cannot be listed becomes a reject ({@code unreadable_file}, location {@code folder}).
 */
final class CorpusLister {

    private static final Logger LOG = LoggerFactory.getLogger(CorpusLister.class);

    /** The files to read, and rejects for folders that could not be listed. */
    record Listing(List<CorpusFile> files, List<Row> rejects) {}

    private final Configuration conf;
    private final Decompression decompression;
    private final CorpusFormat forcedFormat;

    /** @param forcedFormat the format of every file, or null to choose by extension */
    CorpusLister(Configuration conf, CorpusFormat forcedFormat) {
        this.conf = conf;
        this.decompression = new Decompression(conf);
        this.forcedFormat = forcedFormat;
    }

    Listing list(List<String> arguments) {
        Map<String, CorpusFile> files = new LinkedHashMap<>();
        List<Row> rejects = new ArrayList<>();
        for (String argument : arguments) {
            List<FileStatus> found;
            try {
                found = filesOf(argument, rejects);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list corpus path " + argument + ": " + e.getMessage(), e);
            }
            for (FileStatus status : found) {
                String path = status.getPath().toString();
                if (files.putIfAbsent(path, new CorpusFile(path, formatOf(status.getPath()), status.getLen())) != null) {
                    LOG.info("corpus file {} is named more than once; reading it once", path);
                }
            }
        }
        return new Listing(List.copyOf(files.values()), rejects);
    }

    /** What {@code argument} (a path or a glob) matches; matching nothing is an error. */
    static FileStatus[] matches(Configuration conf, String argument) throws IOException {
        Path pattern = new Path(argument);
        FileStatus[] matches = pattern.getFileSystem(conf).globStatus(pattern);
        if (matches == null || matches.length == 0) {
            throw new IllegalArgumentException("corpus path matches nothing: " + argument);
        }
        return matches;
    }

    private List<FileStatus> filesOf(String argument, List<Row> rejects) throws IOException {
        FileSystem fs = new Path(argument).getFileSystem(conf);
        FileStatus[] matches = matches(conf, argument);
        boolean isGlob = argument.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
        List<FileStatus> found = new ArrayList<>();
        for (FileStatus match : matches) {
            if (isGlob && isHidden(match.getPath())) {
                continue;
            }
            if (match.isDirectory()) {
                listRecursively(fs, match.getPath(), found, rejects);
            } else {
                found.add(match);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("corpus path matches no files (only empty folders or hidden files): "
                    + argument);
        }
        found.sort(Comparator.comparing(FileStatus::getPath)); // the same order on every run
        return found;
    }

    private static void listRecursively(FileSystem fs, Path root, List<FileStatus> found, List<Row> rejects) {
        Deque<Path> folders = new ArrayDeque<>();
        folders.push(root);
        while (!folders.isEmpty()) {
            Path folder = folders.pop();
            FileStatus[] children;
            try {
                children = fs.listStatus(folder);
            } catch (IOException e) {
                rejects.add(CorpusRows.reject(folder.toString(), "folder", RejectReasons.unreadableFile(e), ""));
                continue;
            }
            for (FileStatus child : children) {
                if (isHidden(child.getPath())) {
                    continue;
                }
                if (child.isDirectory()) {
                    folders.push(child.getPath());
                } else {
                    found.add(child);
                }
            }
        }
    }

    /** Spark's rule: {@code _} or {@code .} prefixed, unless a partition folder ({@code _x=1}); or being copied. */
    static boolean isHidden(Path path) {
        String name = path.getName();
        return ((name.startsWith("_") && !name.contains("=")) || name.startsWith("."))
                || name.endsWith("._COPYING_");
    }

    private CorpusFormat formatOf(Path path) {
        return forcedFormat != null ? forcedFormat
                : CorpusFormat.byFileName(decompression.nameWithoutCompressionSuffix(path));
    }
}
