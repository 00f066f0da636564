package org.travelingwords.corpus;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The corpus reader's Spark-free parts: format rule, line splitting, UTF-8, snippets, reasons, balancing. */
class CorpusPiecesTest {

    @Test
    void formatComesFromTheExtensionUnderTheCompressionSuffix() {
        assertEquals(CorpusFormat.JSONL, CorpusFormat.byFileName("a.jsonl"));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.byFileName("a.NDJSON"));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.byFileName("a.json"));
        assertEquals(CorpusFormat.PARQUET, CorpusFormat.byFileName("part-0.snappy.parquet"));
        assertEquals(CorpusFormat.TEXT, CorpusFormat.byFileName("notes.txt"));
        assertEquals(CorpusFormat.TEXT, CorpusFormat.byFileName("README.md"));
        assertEquals(CorpusFormat.LINES, CorpusFormat.byFileName("sentences.csv"));
        assertEquals(CorpusFormat.LINES, CorpusFormat.byFileName("sentences"));
        Decompression decompression = new Decompression(new org.apache.hadoop.conf.Configuration());
        assertEquals("a.jsonl", decompression.nameWithoutCompressionSuffix(new org.apache.hadoop.fs.Path("/x/a.jsonl.gz")));
        assertEquals("a.txt", decompression.nameWithoutCompressionSuffix(new org.apache.hadoop.fs.Path("/x/a.txt.bz2")));
        assertEquals("a.md", decompression.nameWithoutCompressionSuffix(new org.apache.hadoop.fs.Path("/x/a.md.zst")));
        assertEquals("a.txt", decompression.nameWithoutCompressionSuffix(new org.apache.hadoop.fs.Path("/x/a.txt")));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.parse(" JSONL "));
        assertThrows(IllegalArgumentException.class, () -> CorpusFormat.parse("csv"));
    }

    @Test
    void linesSplitOnNewlineBytesOnly() throws IOException {
        assertEquals(List.of("a", "", "b\r", "c"), lines("a\n\nb\r\nc", 100));
        assertEquals(List.of("a"), lines("a\n", 100), "no empty line after the final newline");
        assertEquals(List.of(), lines("", 100));
        assertEquals(List.of("\n"), lines("\n", 100).stream().map(l -> l.isEmpty() ? "\n" : l).toList());
    }

    @Test
    void aLineOverTheCapIsMeasuredButNotStored() throws IOException {
        ByteLineReader reader = new ByteLineReader(new ByteArrayInputStream(("x".repeat(200_000) + "\nok\n").getBytes(UTF_8)));
        BoundedBytes line = new BoundedBytes(10);
        assertTrue(reader.next(line));
        assertEquals(200_000, line.total());
        assertEquals(10, line.stored());
        assertTrue(line.truncated());
        assertTrue(reader.next(line));
        assertEquals("ok", new String(line.array(), 0, line.stored(), UTF_8));
        assertEquals(2, reader.lineNumber());
        assertFalse(reader.next(line));
    }

    @Test
    void utf8IsDecodedStrictlyWithTheOffsetOfTheFirstBadByte() throws Exception {
        StrictUtf8 utf8 = new StrictUtf8();
        assertEquals("héllo 😀", utf8.decode("héllo 😀".getBytes(UTF_8), 0, "héllo 😀".getBytes(UTF_8).length));
        byte[] overlong = {'o', 'k', (byte) 0xc0, (byte) 0xaf};
        assertEquals(2, assertThrows(StrictUtf8.MalformedException.class, () -> utf8.decode(overlong, 0, 4)).byteOffset);
        byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
        assertEquals(0, assertThrows(StrictUtf8.MalformedException.class, () -> utf8.decode(surrogate, 0, 3)).byteOffset);
        byte[] cutShort = {'a', (byte) 0xe2, (byte) 0x82};
        assertEquals(1, assertThrows(StrictUtf8.MalformedException.class, () -> utf8.decode(cutShort, 0, 3)).byteOffset);
    }

    @Test
    void snippetsKeepPrintableAsciiAndEscapeTheRest() {
        byte[] bytes = {'a', '\t', (byte) 0xff, '\\', 'z'};
        assertEquals("a\\x09\\xff\\z", Snippets.escape(bytes, bytes.length));
        byte[] long_ = "é".repeat(300).getBytes(UTF_8);
        assertEquals("\\xc3\\xa9".repeat(100), Snippets.escape(long_, long_.length), "the first 200 bytes");
        assertEquals("\\xc3\\xa9".repeat(100), Snippets.escape("é".repeat(300)));
    }

    @Test
    void reasonCodesAreTheLeadingWord() {
        assertEquals("too_long", RejectReasons.codeOf(RejectReasons.tooLong(5, 3)));
        assertEquals("unreadable_file", RejectReasons.codeOf(RejectReasons.unreadableFile(new IOException("gone"))));
        assertEquals("unreadable_file: IOException: gone", RejectReasons.unreadableFile(new IOException("gone")));
        assertEquals("empty_document", RejectReasons.codeOf(RejectReasons.emptyDocument()));
    }

    @Test
    void jsonlParsingIsStrict() {
        JsonlRecordParser parser = new JsonlRecordParser("text", "id");
        assertEquals(new JsonlRecordParser.Parsed("hi", "x", null), parser.parse("{\"text\":\"hi\",\"id\":\"x\"}"));
        assertEquals(new JsonlRecordParser.Parsed("hi", null, null), parser.parse("{\"text\":\"hi\",\"id\":[1]}"));
        for (String bad : List.of("{'text':'hi'}", "{\"text\":\"hi\"} trailing", "{\"text\":NaN}", "{\"text\":\"hi\",}",
                "{\"text\":\"hi\"", "\"just a string\"", "null")) {
            String reason = parser.parse(bad).rejectReason();
            assertTrue(reason != null && reason.startsWith("invalid_json"), bad + " → " + reason);
        }
        assertEquals("non_string_text_field (text is an object)", parser.parse("{\"text\":{}}").rejectReason());
        assertEquals("non_string_text_field (text is a boolean)", parser.parse("{\"text\":true}").rejectReason());
    }

    @Test
    void filesAreDealtIntoGroupsOfAboutEqualSize() {
        List<CorpusFile> files = new ArrayList<>();
        long[] sizes = {100, 90, 10, 10, 10, 60, 20};
        for (int i = 0; i < sizes.length; i++) {
            files.add(new CorpusFile("f" + i, CorpusFormat.LINES, sizes[i]));
        }
        List<List<CorpusFile>> groups = FileGroups.balance(files, 3);
        assertEquals(3, groups.size());
        assertEquals(files.size(), groups.stream().mapToInt(List::size).sum());
        long largest = groups.stream().mapToLong(g -> g.stream().mapToLong(CorpusFile::bytes).sum()).max().orElseThrow();
        assertEquals(100, largest);
        assertEquals(1, FileGroups.balance(files.subList(0, 1), 8).size(), "never more groups than files");
    }

    private static List<String> lines(String text, int cap) throws IOException {
        ByteLineReader reader = new ByteLineReader(new ByteArrayInputStream(text.getBytes(UTF_8)));
        BoundedBytes line = new BoundedBytes(cap);
        List<String> out = new ArrayList<>();
        while (reader.next(line)) {
            out.add(new String(line.array(), 0, line.stored(), UTF_8));
        }
        return out;
    }
}
