package org.travelingwords.corpus;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream on {@code \n} without decoding it, so that each line can be validated as UTF-8
 * on its own (a bad byte spoils one line, not the file). A last line without {@code \n} counts; the
 * empty string after a final {@code \n} does not.
 */
final class ByteLineReader {

    private final InputStream in;
    private final byte[] chunk = new byte[64 * 1024];
    private int position;
    private int limit;
    private long lineNumber;

    ByteLineReader(InputStream in) {
        this.in = in;
    }

    /** Reads the next line (without its {@code \n}) into {@code line}; false at the end of the stream. */
    boolean next(BoundedBytes line) throws IOException {
        line.clear();
        lineNumber++;
        while (true) {
            if (position == limit) {
                limit = in.read(chunk, 0, chunk.length);
                position = 0;
                if (limit < 0) {
                    limit = 0;
                    return line.total() > 0;
                }
            }
            int newline = indexOfNewline();
            if (newline >= 0) {
                line.append(chunk, position, newline - position);
                position = newline + 1;
                return true;
            }
            line.append(chunk, position, limit - position);
            position = limit;
        }
    }

    /** The 1-based number of the line last returned, or of the line being read when {@link #next} threw. */
    long lineNumber() {
        return lineNumber;
    }

    private int indexOfNewline() {
        for (int i = position; i < limit; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
