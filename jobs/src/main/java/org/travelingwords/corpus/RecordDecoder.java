package org.travelingwords.corpus;

import org.apache.spark.sql.Row;

/**
 * Turns the raw bytes of one record (a line, or a whole file) into a document row or a reject:
 * size bound, strict UTF-8, then the format's own parsing, then {@link DocumentRules}. One instance
 * per task (it holds a decoder).
 */
final class RecordDecoder {

    private static final byte[] UTF8_BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

    private final DocumentRules rules;
    private final JsonlRecordParser jsonl;
    private final StrictUtf8 utf8 = new StrictUtf8();

    RecordDecoder(CorpusOptions options) {
        this.rules = new DocumentRules(options.maxDocChars());
        this.jsonl = new JsonlRecordParser(options.textField(), options.idField());
    }

    /** How many bytes of one record of this format are worth keeping in memory. */
    int byteLimit(CorpusFormat format) {
        return format == CorpusFormat.JSONL ? rules.maxJsonLineBytes() : rules.maxTextBytes();
    }

    /** Drops a UTF-8 byte-order mark, which editors put at the start of a file (not part of the text). */
    static void dropByteOrderMark(BoundedBytes firstRecord) {
        if (firstRecord.startsWith(UTF8_BOM)) {
            firstRecord.dropFirst(UTF8_BOM.length);
        }
    }

    Row decode(String source, String location, CorpusFormat format, BoundedBytes raw) {
        byte[] bytes = raw.array();
        int length = raw.stored();
        if (raw.truncated()) {
            return CorpusRows.reject(source, location, RejectReasons.tooLongBytes(raw.total(), byteLimit(format)),
                    Snippets.escape(bytes, length));
        }
        String text;
        try {
            text = utf8.decode(bytes, 0, length);
        } catch (StrictUtf8.MalformedException e) {
            return CorpusRows.reject(source, location, RejectReasons.invalidUtf8(e.byteOffset),
                    Snippets.escape(bytes, length));
        }
        String givenId = null;
        if (format == CorpusFormat.JSONL) {
            // A blank jsonl line is an empty document, like a blank line in a lines file, not bad JSON.
            JsonlRecordParser.Parsed parsed = text.isBlank() ? null : jsonl.parse(text);
            if (parsed != null && parsed.rejectReason() != null) {
                return CorpusRows.reject(source, location, parsed.rejectReason(), Snippets.escape(bytes, length));
            }
            if (parsed != null) {
                text = parsed.text();
                givenId = parsed.id();
            }
        }
        String reason = rules.rejectReason(text);
        if (reason != null) {
            return CorpusRows.reject(source, location, reason, Snippets.escape(bytes, length));
        }
        return CorpusRows.document(DocumentRules.docId(source, location, givenId), source, location, text);
    }
}
