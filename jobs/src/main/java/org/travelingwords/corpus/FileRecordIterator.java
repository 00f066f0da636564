package org.travelingwords.corpus;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * The records of one text, lines or jsonl file, read lazily so a file larger than memory streams
 * through. A read error ends the file with one {@code unreadable_file} reject at the place it
 * happened ({@code file} for text, else the line being read); records before it stay.
 */
final class FileRecordIterator implements Iterator<Row>, Closeable {

    private final CorpusFile file;
    private final Decompression opener;
    private final RecordDecoder decoder;
    private final BoundedBytes record;

    private InputStream in;
    private ByteLineReader lines;
    private boolean finished;
    private Row pending;

    FileRecordIterator(CorpusFile file, Decompression opener, RecordDecoder decoder) {
        this.file = file;
        this.opener = opener;
        this.decoder = decoder;
        this.record = new BoundedBytes(decoder.byteLimit(file.format()));
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !finished) {
            pending = advance();
        }
        return pending != null;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Row row = pending;
        pending = null;
        return row;
    }

    @Override
    public void close() {
        finished = true;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Everything wanted from the file has been read; a failing close changes nothing.
            }
            in = null;
        }
    }

    private Row advance() {
        boolean wholeFile = file.format() == CorpusFormat.TEXT;
        boolean found;
        try {
            if (in == null) {
                in = opener.open(new Path(file.path()));
                lines = new ByteLineReader(in);
            }
            found = wholeFile ? readWholeFile() : lines.next(record);
        } catch (IOException | RuntimeException e) {
            // Codecs report corrupt data with runtime exceptions too; either way the rest of the file is lost.
            close();
            return CorpusRows.reject(file.path(), location(), RejectReasons.unreadableFile(e),
                    Snippets.escape(record.array(), record.stored()));
        }
        if (!found) {
            close();
            return null;
        }
        if (wholeFile || lines.lineNumber() == 1) {
            RecordDecoder.dropByteOrderMark(record);
        }
        if (!wholeFile) {
            record.dropLastIf((byte) '\r');
        }
        return decoder.decode(file.path(), location(), file.format(), record);
    }

    /** Reads the whole file as one record; true once (an empty file is an empty document). */
    private boolean readWholeFile() throws IOException {
        record.clear();
        byte[] chunk = new byte[64 * 1024];
        for (int n; (n = in.read(chunk)) >= 0; ) {
            record.append(chunk, 0, n);
        }
        close();
        return true;
    }

    private String location() {
        if (file.format() == CorpusFormat.TEXT) {
            return "file";
        }
        return "line " + (lines == null ? 1 : lines.lineNumber());
    }
}
