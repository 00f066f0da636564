package org.travelingwords.corpus;

import java.io.Serializable;
import java.util.List;

/**
 * What {@link CorpusReader} reads and how.
 *
 * @param paths       files, folders and globs, local or on any Hadoop file system; at least one
 * @param format      {@code text}, {@code lines}, {@code jsonl} or {@code parquet} for every file, or
 *                    {@code null} to choose per file by extension (see {@link CorpusFormat})
 * @param textField   the jsonl field or parquet column holding the text
 * @param idField     the jsonl field or parquet column holding a document id, or {@code null} to hash
 *                    source and location (see {@link DocIds})
 * @param maxDocChars documents longer than this (in Java chars, UTF-16 units) are rejected as {@code too_long}
 */
public record CorpusOptions(List<String> paths, String format, String textField, String idField, int maxDocChars)
        implements Serializable {

    public static final String DEFAULT_TEXT_FIELD = "text";
    public static final int DEFAULT_MAX_DOC_CHARS = 1_000_000;

    public CorpusOptions {
        if (paths == null || paths.isEmpty()) {
            throw new IllegalArgumentException("no corpus paths given");
        }
        paths = List.copyOf(paths);
        if (format != null) {
            CorpusFormat.parse(format); // fail on the driver, before any file is listed
        }
        if (textField == null || textField.isBlank()) {
            throw new IllegalArgumentException("the text field name must not be empty");
        }
        if (idField != null && idField.isBlank()) {
            idField = null;
        }
        if (maxDocChars <= 0) {
            throw new IllegalArgumentException("maxDocChars must be positive, got " + maxDocChars);
        }
    }

    /** Formats by extension, text field {@code text}, hashed ids, {@value #DEFAULT_MAX_DOC_CHARS} chars at most. */
    public static CorpusOptions defaults(List<String> paths) {
        return new CorpusOptions(paths, null, DEFAULT_TEXT_FIELD, null, DEFAULT_MAX_DOC_CHARS);
    }

    /** The format forced on every file, or {@code null} when chosen by extension. */
    CorpusFormat forcedFormat() {
        return format == null ? null : CorpusFormat.parse(format);
    }
}
