package org.travelingwords.corpus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.travelingwords.testing.LocalSpark;

/**
 * Reads a corpus with a bad record of every kind planted in every format, and checks that each input
 * record comes out exactly once: as a document, or as a reject saying where and why.
 */
class CorpusReaderTest {

    private static final int MAX_CHARS = 100;
    private static final String TOO_LONG = "x".repeat(150);

    @TempDir
    static Path root;

    private static SparkSession spark;
    private static List<String> corpusPaths;
    /** The planted corpus read with hashed ids, keyed "file|location" (parquet part files by their folder). */
    private static Map<String, Row> documents;
    private static Map<String, Row> rejects;
    private static Corpus corpus;

    @BeforeAll
    static void readPlantedCorpus() throws IOException {
        spark = LocalSpark.start();
        plantCorpus();
        corpus = read(corpusPaths, null, null);
        documents = byKey(corpus.documents().collectAsList(), 1, 2);
        rejects = byKey(corpus.rejects().collectAsList(), 0, 1);
    }

    @AfterAll
    static void stopSpark() {
        corpus.unpersist();
        LocalSpark.stop();
    }

    /** Every record planted below, with the reason code of the bad ones. */
    private static final Map<String, String> EXPECTED_REJECTS = new TreeMap<>(Map.ofEntries(
            Map.entry("part-1.lines|line 3", "empty_document"),
            Map.entry("part-1.lines|line 4", "empty_document"),
            Map.entry("part-1.lines|line 5", "invalid_utf8"),
            Map.entry("part-1.lines|line 7", "too_long"),
            Map.entry("a.jsonl.gz|line 2", "invalid_json"),
            Map.entry("a.jsonl.gz|line 3", "invalid_json"),
            Map.entry("a.jsonl.gz|line 4", "missing_text_field"),
            Map.entry("a.jsonl.gz|line 5", "non_string_text_field"),
            Map.entry("a.jsonl.gz|line 6", "empty_document"),
            Map.entry("a.jsonl.gz|line 7", "too_long"),
            Map.entry("a.jsonl.gz|line 9", "missing_text_field"),
            Map.entry("a.jsonl.gz|line 10", "empty_document"),
            Map.entry("b.jsonl.bz2|line 2", "invalid_utf8"),
            Map.entry("empty.txt|file", "empty_document"),
            Map.entry("broken.jsonl.gz|line 1", "unreadable_file"),
            Map.entry("my table.parquet|row 2", "missing_text_field"),
            Map.entry("my table.parquet|row 3", "empty_document"),
            Map.entry("my table.parquet|row 4", "too_long"),
            Map.entry("corrupt.parquet|file", "unreadable_file")));

    private static final List<String> EXPECTED_DOCUMENTS = List.of(
            "part-1.lines|line 1", "part-1.lines|line 2", "part-1.lines|line 6", "part-1.lines|line 8",
            "part-2.lines|line 1", "part-2.lines|line 2",
            "a.jsonl.gz|line 1", "a.jsonl.gz|line 8", "a.jsonl.gz|line 11",
            "b.jsonl.bz2|line 1", "b.jsonl.bz2|line 3",
            "c.jsonl.zst|line 1",
            "one.txt|file", "two.md|file", "three.txt|file", "bom.txt|file", "notes.txt.gz|file",
            "my table.parquet|row 0", "my table.parquet|row 1");

    private static void plantCorpus() throws IOException {
        Path lines = Files.createDirectories(root.resolve("lines"));
        ByteArrayOutputStream part1 = new ByteArrayOutputStream();
        part1.writeBytes("the first line\n".getBytes(UTF_8));
        part1.writeBytes("second line\r\n".getBytes(UTF_8));
        part1.writeBytes("\n".getBytes(UTF_8));
        part1.writeBytes("   \t \n".getBytes(UTF_8));
        part1.writeBytes(new byte[] {'c', 'a', 'f', (byte) 0xc3, '(', ' ', 'b', 'a', 'd', '\n'});
        part1.writeBytes("héllo wörld\n".getBytes(UTF_8));
        part1.writeBytes((TOO_LONG + "\n").getBytes(UTF_8));
        part1.writeBytes("last line without newline".getBytes(UTF_8));
        Files.write(lines.resolve("part-1.lines"), part1.toByteArray());
        Files.writeString(lines.resolve("part-2.lines"), "alpha\nbeta\n");
        Files.writeString(lines.resolve("other.log"), "not matched by the glob\n");

        Path json = Files.createDirectories(root.resolve("json"));
        String a = String.join("\n",
                "{\"text\": \"json one\", \"id\": \"a1\"}",
                "this is not json",
                "[1, 2, 3]",
                "{\"body\": \"no text field\"}",
                "{\"text\": 42}",
                "{\"text\": \"\"}",
                "{\"text\": \"" + TOO_LONG + "\"}",
                "{\"text\": \"json eight\", \"id\": 7}",
                "{\"text\": null}",
                "",
                "{\"text\": \"json eleven\"}") + "\n";
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(json.resolve("a.jsonl.gz")))) {
            out.write(a.getBytes(UTF_8));
        }
        try (OutputStream out = new BZip2CompressorOutputStream(Files.newOutputStream(json.resolve("b.jsonl.bz2")))) {
            out.write("{\"text\": \"bzip one\"}\n".getBytes(UTF_8));
            out.write(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', 'b', 'a', 'd', (byte) 0xff, '"', '}', '\n'});
            out.write("{\"text\": \"bzip three\"}\n".getBytes(UTF_8));
        }
        try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(json.resolve("c.jsonl.zst")))) {
            out.write("{\"text\": \"zstd one\"}\n".getBytes(UTF_8));
        }

        Path docs = Files.createDirectories(root.resolve("docs"));
        Files.writeString(docs.resolve("one.txt"), "A whole document.\nWith two lines.\n");
        Files.writeString(docs.resolve("two.md"), "# Title\n\nBody");
        Files.writeString(docs.resolve("empty.txt"), "");
        Files.writeString(docs.resolve("bom.txt"), "\uFEFFbom text");
        Files.writeString(docs.resolve("_hidden.txt"), "skipped");
        Files.writeString(docs.resolve(".hidden.txt"), "skipped");
        Files.writeString(Files.createDirectories(docs.resolve("sub")).resolve("three.txt"), "nested document");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(docs.resolve("notes.txt.gz")))) {
            out.write("compressed notes\nin one document\n".getBytes(UTF_8));
        }

        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 'X'; // not the gzip magic number
        Files.write(root.resolve("broken.jsonl.gz"), noise);
        Files.write(root.resolve("corrupt.parquet"), noise);

        StructType schema = new StructType().add("text", DataTypes.StringType).add("id", DataTypes.StringType);
        List<Row> rows = List.of(
                RowFactory.create("parquet one", "p1"),
                RowFactory.create("parquet two", null),
                RowFactory.create(null, "p3"),
                RowFactory.create("", "p4"),
                RowFactory.create(TOO_LONG, "p5"));
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(root.resolve("my table.parquet").toString());

        corpusPaths = List.of(
                root.resolve("lines/part-*.lines").toString(),
                root.resolve("json").toString(),
                root.resolve("docs").toString(),
                root.resolve("broken.jsonl.gz").toString(),
                root.resolve("my table.parquet").toString(),
                root.resolve("corrupt.parquet").toString());
    }

    @Test
    void everyBadRecordIsARejectWithItsReasonAndLocation() {
        Map<String, String> codes = new TreeMap<>();
        rejects.forEach((key, row) -> codes.put(key, RejectReasons.codeOf(row.getString(2))));
        assertEquals(EXPECTED_REJECTS, codes);

        assertEquals("invalid_utf8 (byte 3)", reject("part-1.lines|line 5").getString(2));
        assertEquals("caf\\xc3( bad", reject("part-1.lines|line 5").getString(3));
        assertEquals("too_long (150 chars > 100)", reject("part-1.lines|line 7").getString(2));
        assertEquals("invalid_json (expected an object, got an array)", reject("a.jsonl.gz|line 3").getString(2));
        assertEquals("invalid_json (malformed at column 1)", reject("a.jsonl.gz|line 2").getString(2));
        assertEquals("missing_text_field (text)", reject("a.jsonl.gz|line 4").getString(2));
        assertEquals("non_string_text_field (text is a number)", reject("a.jsonl.gz|line 5").getString(2));
        assertEquals("{\"text\": 42}", reject("a.jsonl.gz|line 5").getString(3));
        assertEquals("{\"text\":\"bad\\xff\"}", reject("b.jsonl.bz2|line 2").getString(3));
        assertTrue(reject("broken.jsonl.gz|line 1").getString(2).startsWith("unreadable_file: "));
        assertTrue(reject("corrupt.parquet|file").getString(2).startsWith("unreadable_file: "));
        assertEquals(TOO_LONG, reject("my table.parquet|row 4").getString(3));
    }

    @Test
    void everyPlantedRecordIsExactlyOneDocumentOrOneReject() {
        assertEquals(new TreeMap<>(EXPECTED_REJECTS).keySet(), rejects.keySet());
        assertEquals(new HashSet<>(EXPECTED_DOCUMENTS), documents.keySet());
        assertEquals(EXPECTED_DOCUMENTS.size(), corpus.documents().count());
        assertEquals(EXPECTED_REJECTS.size(), corpus.rejects().count());
    }

    @Test
    void sourcesAreTheListedPathsExactly() {
        HashSet<String> listed = new HashSet<>(corpus.files());
        corpus.documents().collectAsList().forEach(row -> assertTrue(listed.contains(row.getString(1)), row.toString()));
        corpus.rejects().collectAsList().forEach(row -> assertTrue(listed.contains(row.getString(0)), row.toString()));
    }

    @Test
    void documentsKeepTheirTextExactly() {
        assertEquals("second line", text("part-1.lines|line 2"), "the \\r of \\r\\n is dropped");
        assertEquals("héllo wörld", text("part-1.lines|line 6"));
        assertEquals("last line without newline", text("part-1.lines|line 8"));
        assertEquals("A whole document.\nWith two lines.\n", text("one.txt|file"));
        assertEquals("bom text", text("bom.txt|file"), "the byte-order mark is not text");
        assertEquals("compressed notes\nin one document\n", text("notes.txt.gz|file"), ".txt.gz is text");
        assertEquals("json eight", text("a.jsonl.gz|line 8"));
        assertEquals("zstd one", text("c.jsonl.zst|line 1"));
        assertEquals("parquet two", text("my table.parquet|row 1"));
    }

    @Test
    void listingFollowsGlobsFoldersAndSkipsHiddenFiles() {
        List<String> names = corpus.files().stream().map(CorpusReaderTest::fileName).toList();
        assertTrue(names.contains("three.txt"), "folders are listed recursively");
        assertFalse(names.contains("other.log"), "the glob matches part-*.lines only");
        assertFalse(names.stream().anyMatch(n -> n.startsWith("_") || n.startsWith(".")), names.toString());
        assertTrue(corpus.files().stream().allMatch(p -> p.startsWith("file:/")), "sources are qualified paths");

        Map<String, CorpusFormat> formats = new HashMap<>();
        corpus.inputs().forEach(file -> formats.put(fileName(file.path()), file.format()));
        assertEquals(CorpusFormat.LINES, formats.get("part-1.lines"));
        assertEquals(CorpusFormat.JSONL, formats.get("a.jsonl.gz"));
        assertEquals(CorpusFormat.JSONL, formats.get("b.jsonl.bz2"));
        assertEquals(CorpusFormat.TEXT, formats.get("two.md"));
        assertEquals(CorpusFormat.TEXT, formats.get("notes.txt.gz"));
        assertEquals(CorpusFormat.PARQUET, formats.get("my table.parquet"));
    }

    @Test
    void fileSummaryCountsEachFile() {
        Map<String, Row> summary = new HashMap<>();
        corpus.fileSummary().collectAsList().forEach(row -> summary.put(fileName(row.getString(0)), row));
        assertEquals(corpus.files().size(), summary.size());
        Row a = summary.get("a.jsonl.gz");
        assertEquals("jsonl", a.getString(1));
        assertEquals(3L, a.getLong(3));
        assertEquals(8L, a.getLong(4));
        assertEquals(0L, summary.get("broken.jsonl.gz").getLong(3));
        assertEquals(1L, summary.get("broken.jsonl.gz").getLong(4));
    }

    @Test
    void docIdsAreStableAcrossReadsAndDistinct() {
        Map<String, String> first = idsByKey(documents);
        Corpus again = read(corpusPaths, null, null);
        try {
            Map<String, String> second = idsByKey(byKey(again.documents().collectAsList(), 1, 2));
            assertEquals(first, second);
        } finally {
            again.unpersist();
        }
        assertEquals(first.size(), new HashSet<>(first.values()).size(), "ids are distinct");
        assertTrue(first.values().stream().allMatch(id -> id.matches("[0-9a-f]{16}")), first.toString());
    }

    @Test
    void theIdFieldIsUsedWhenPresent() {
        Corpus withIds = read(corpusPaths, null, "id");
        try {
            Map<String, String> ids = idsByKey(byKey(withIds.documents().collectAsList(), 1, 2));
            assertEquals("a1", ids.get("a.jsonl.gz|line 1"));
            assertEquals("7", ids.get("a.jsonl.gz|line 8"), "a numeric id is used as a string");
            assertEquals("p1", ids.get("my table.parquet|row 0"));
            Map<String, String> hashed = idsByKey(documents);
            assertEquals(hashed.get("a.jsonl.gz|line 11"), ids.get("a.jsonl.gz|line 11"), "no id: hashed");
            assertEquals(hashed.get("my table.parquet|row 1"), ids.get("my table.parquet|row 1"), "null id: hashed");
            assertEquals(hashed.get("one.txt|file"), ids.get("one.txt|file"));
        } finally {
            withIds.unpersist();
        }
    }

    @Test
    void fileUrisReadTheSameDocuments() {
        Corpus viaUri = read(List.of("file://" + root.resolve("json"), "file://" + root.resolve("my table.parquet")),
                null, null);
        try {
            Map<String, String> ids = idsByKey(byKey(viaUri.documents().collectAsList(), 1, 2));
            Map<String, String> expected = new HashMap<>(idsByKey(documents));
            expected.keySet().removeIf(key -> !key.contains(".jsonl") && !key.startsWith("my table.parquet"));
            assertEquals(expected, ids);
            assertEquals(8 + 1 + 3, viaUri.rejects().count());
        } finally {
            viaUri.unpersist();
        }
    }

    @Test
    void aPathThatMatchesNothingIsAnError() throws IOException {
        String missing = root.resolve("no-such-folder").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(List.of(corpusPaths.get(0), missing), null, null));
        assertTrue(e.getMessage().contains(missing), e.getMessage());

        String noMatch = root.resolve("lines/*.nothing").toString();
        e = assertThrows(IllegalArgumentException.class, () -> read(List.of(noMatch), null, null));
        assertTrue(e.getMessage().contains(noMatch), e.getMessage());

        String empty = Files.createDirectories(root.resolve("empty-folder")).toString();
        Files.writeString(root.resolve("empty-folder/_SUCCESS"), "");
        e = assertThrows(IllegalArgumentException.class, () -> read(List.of(empty), null, null));
        assertTrue(e.getMessage().contains(empty), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> read(List.of(missing), "csv", null));
    }

    @Test
    void aFileCutShortKeepsTheDocumentsBeforeTheBreak() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        Random random = new Random(11);
        try (OutputStream out = new GZIPOutputStream(gz)) {
            for (int i = 1; i <= 20_000; i++) {
                out.write(("line " + i + " " + Long.toHexString(random.nextLong()) + "\n").getBytes(UTF_8));
            }
        }
        byte[] whole = gz.toByteArray();
        Path cut = Files.createDirectories(root.resolve("cut")).resolve("cut.lines.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));

        Corpus corpus = read(List.of(cut.toString()), null, null);
        try {
            long documents = corpus.documents().count();
            List<Row> rejects = corpus.rejects().collectAsList();
            assertEquals(1, rejects.size(), rejects.toString());
            assertTrue(rejects.get(0).getString(2).startsWith("unreadable_file: "), rejects.toString());
            assertTrue(documents > 1000, "documents before the break stay: " + documents);
            assertEquals("line " + (documents + 1), rejects.get(0).getString(1), "the reject is where reading stopped");
        } finally {
            corpus.unpersist();
        }
    }

    @Test
    void anUnreadableFileIsAReject() throws IOException {
        Path secret = Files.createDirectories(root.resolve("secret")).resolve("secret.lines");
        Files.writeString(secret, "you cannot read me\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(secret), "running as root: permissions are not enforced");
            Corpus corpus = read(List.of(secret.toString()), null, null);
            List<Row> rejects = corpus.rejects().collectAsList();
            assertEquals(1, rejects.size());
            assertTrue(rejects.get(0).getString(2).startsWith("unreadable_file: "), rejects.toString());
            corpus.unpersist();
        } finally {
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void aFileGoneBeforeItIsReadIsAReject() throws IOException {
        Path gone = Files.createDirectories(root.resolve("gone")).resolve("gone.jsonl");
        Files.writeString(gone, "{\"text\": \"listed, then deleted\"}\n");
        Corpus corpus = read(List.of(gone.toString()), null, null); // lists now, reads at the first action
        Files.delete(gone);
        try {
            List<Row> rejects = corpus.rejects().collectAsList();
            assertEquals(1, rejects.size(), rejects.toString());
            assertEquals("line 1", rejects.get(0).getString(1));
            assertTrue(rejects.get(0).getString(2).startsWith("unreadable_file: "), rejects.toString());
            assertEquals(0, corpus.documents().count());
        } finally {
            corpus.unpersist();
        }
    }

    @Test
    void documentsAndRejectsComeFromOnePassOverTheFiles() throws IOException {
        Path once = Files.createDirectories(root.resolve("once")).resolve("once.lines");
        Files.writeString(once, "kept\n\n");
        Corpus corpus = read(List.of(once.toString()), null, null);
        try {
            assertEquals(1, corpus.documents().count());
            Files.delete(once); // a second read of the file would now be an unreadable_file reject
            List<Row> rejects = corpus.rejects().collectAsList();
            assertEquals(1, rejects.size(), rejects.toString());
            assertEquals("empty_document", rejects.get(0).getString(2));
        } finally {
            corpus.unpersist();
        }
    }

    @Test
    void aForcedFormatOverridesTheExtension() {
        Corpus asLines = read(List.of(root.resolve("docs/one.txt").toString()), "lines", null);
        try {
            Map<String, Row> docs = byKey(asLines.documents().collectAsList(), 1, 2);
            assertEquals(List.of("one.txt|line 1", "one.txt|line 2"), new ArrayList<>(new TreeMap<>(docs).keySet()));
        } finally {
            asLines.unpersist();
        }
    }

    @Test
    void parquetColumnMistakesFailTheJob() throws IOException {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new CorpusReader(spark,
                new CorpusOptions(List.of(root.resolve("my table.parquet").toString()), null, "body", null, MAX_CHARS))
                .read());
        assertTrue(missing.getMessage().contains("'body'"), missing.getMessage());

        String numbers = root.resolve("numbers.parquet").toString();
        spark.range(3).withColumnRenamed("id", "text").write().parquet(numbers);
        IllegalArgumentException notString = assertThrows(IllegalArgumentException.class,
                () -> read(List.of(numbers), null, null));
        assertTrue(notString.getMessage().contains("not string"), notString.getMessage());
    }

    // ---- helpers

    private static Corpus read(List<String> paths, String format, String idField) {
        return new CorpusReader(spark, new CorpusOptions(paths, format, "text", idField, MAX_CHARS)).read();
    }

    private static Row reject(String key) {
        Row row = rejects.get(key);
        assertTrue(row != null, "no reject " + key + " in " + rejects.keySet());
        return row;
    }

    private static String text(String key) {
        Row row = documents.get(key);
        assertTrue(row != null, "no document " + key + " in " + documents.keySet());
        return row.getString(3);
    }

    private static Map<String, String> idsByKey(Map<String, Row> docs) {
        Map<String, String> ids = new TreeMap<>();
        docs.forEach((key, row) -> ids.put(key, row.getString(0)));
        return ids;
    }

    /** Rows keyed "file|location", failing on a duplicate key (a record read twice). */
    private static Map<String, Row> byKey(List<Row> rows, int sourceColumn, int locationColumn) {
        Map<String, Row> keyed = new HashMap<>();
        Function<Row, String> key = row -> fileName(row.getString(sourceColumn)) + "|" + row.getString(locationColumn);
        for (Row row : rows) {
            Row previous = keyed.put(key.apply(row), row);
            assertTrue(previous == null, "two records at " + key.apply(row));
        }
        return keyed;
    }

    /** The file's name; a Spark part file is named by its table folder. */
    private static String fileName(String source) {
        String[] parts = source.split("/");
        String name = parts[parts.length - 1];
        return name.startsWith("part-") && name.endsWith(".parquet") ? parts[parts.length - 2] : name;
    }
}
