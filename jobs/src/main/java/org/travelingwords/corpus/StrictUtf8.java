package org.travelingwords.corpus;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 refusing anything malformed (the JDK's lenient default would turn bad bytes into
 * U+FFFD and hide them). One instance per thread: a decoder keeps state.
 */
final class StrictUtf8 {

    /** The bytes are not UTF-8; {@link #byteOffset} is where the first bad sequence starts. */
    static final class MalformedException extends Exception {
        final int byteOffset;

        MalformedException(int byteOffset) {
            super("invalid UTF-8 at byte " + byteOffset, null, false, false);
            this.byteOffset = byteOffset;
        }
    }

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    String decode(byte[] bytes, int offset, int length) throws MalformedException {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        // UTF-8 never yields more UTF-16 chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(length);
        decoder.reset();
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new MalformedException(in.position() - offset);
        }
        out.flip();
        return out.toString();
    }
}
