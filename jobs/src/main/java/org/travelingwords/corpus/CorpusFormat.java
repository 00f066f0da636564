package org.travelingwords.corpus;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a corpus file is cut into documents.
 *
 * <p>Without {@code --format}, the format comes from the file name once its compression suffix
 * ({@code .gz}, {@code .bz2}, {@code .zst}, any other Hadoop codec) is removed:
 * <ul>
 *   <li>{@code .jsonl}, {@code .json}, {@code .ndjson} → {@link #JSONL}</li>
 *   <li>{@code .parquet} → {@link #PARQUET}</li>
 *   <li>{@code .txt}, {@code .text}, {@code .md} → {@link #TEXT} (the whole file is one document)</li>
 *   <li>anything else, no extension included → {@link #LINES}</li>
 * </ul>
 * So {@code a.jsonl.gz} is jsonl and {@code notes.txt.bz2} is one document. A {@code .json} file is
 * read as JSON Lines: a pretty-printed JSON document turns into {@code invalid_json} rejects.
 */
public enum CorpusFormat {
    /** The whole (decompressed) file is one document; location {@code file}. */
    TEXT,
    /** One document per line; location {@code line N}. */
    LINES,
    /** One JSON object per line, text in a named field; location {@code line N}. */
    JSONL,
    /** One document per row of a string column; location {@code row N}. */
    PARQUET;

    /** The name used on the command line and in logs: {@code text}, {@code lines}, {@code jsonl}, {@code parquet}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@code --format} value; an unknown name is an error that lists the known ones. */
    public static CorpusFormat parse(String id) {
        for (CorpusFormat format : values()) {
            if (format.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown corpus format '" + id + "' (expected one of "
                + Arrays.stream(values()).map(CorpusFormat::id).collect(Collectors.joining(", ")) + ")");
    }

    /** The format of a file whose name has already lost its compression suffix (see the class comment). */
    public static CorpusFormat byFileName(String uncompressedName) {
        String name = uncompressedName.toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1);
        return switch (extension) {
            case "jsonl", "json", "ndjson" -> JSONL;
            case "parquet" -> PARQUET;
            case "txt", "text", "md" -> TEXT;
            default -> LINES;
        };
    }
}
