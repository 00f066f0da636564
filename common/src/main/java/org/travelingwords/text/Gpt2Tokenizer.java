package org.travelingwords.text;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level BPE ({@code r50k_base}) through JTokkit. A literal {@code <|endoftext|>} in
 * the text becomes token 50256, as the Hugging Face GPT-2 tokenizer does; everything else is
 * ordinary text. Thread-safe: JTokkit encodings are immutable.
 */
public final class Gpt2Tokenizer {

    public static final int END_OF_TEXT = 50256;
    public static final int VOCAB_SIZE = 50257;
    private static final String END_OF_TEXT_TEXT = "<|endoftext|>";

    private static final Gpt2Tokenizer INSTANCE = new Gpt2Tokenizer(
            Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE));

    private final Encoding encoding;

    private Gpt2Tokenizer(Encoding encoding) {
        this.encoding = encoding;
    }

    public static Gpt2Tokenizer get() {
        return INSTANCE;
    }

    public int[] encode(String text) {
        IntArrayList out = new IntArrayList();
        int start = 0;
        while (true) {
            int special = text.indexOf(END_OF_TEXT_TEXT, start);
            String piece = special < 0 ? text.substring(start) : text.substring(start, special);
            if (!piece.isEmpty()) {
                IntArrayList ids = encoding.encodeOrdinary(piece);
                for (int i = 0; i < ids.size(); i++) {
                    out.add(ids.get(i));
                }
            }
            if (special < 0) {
                return out.toArray();
            }
            out.add(END_OF_TEXT);
            start = special + END_OF_TEXT_TEXT.length();
        }
    }

    /** The UTF-8 text of a token sequence (invalid byte sequences become U+FFFD). */
    public String decode(int... tokens) {
        return new String(decodeBytes(tokens), StandardCharsets.UTF_8);
    }

    public byte[] decodeBytes(int... tokens) {
        IntArrayList ids = new IntArrayList(tokens.length);
        for (int t : tokens) {
            if (t < 0 || t >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token id " + t + " is outside the GPT-2 vocabulary [0, " + VOCAB_SIZE + ")");
            }
            ids.add(t);
        }
        return encoding.decodeBytes(ids);
    }

    /**
     * One token as a person should read it: its text when its bytes are valid UTF-8, else the
     * bytes escaped like Python's bytes repr ({@code b'\xe2\x80'}), since byte-level pieces of a
     * multi-byte character are not text on their own.
     */
    public String display(int token) {
        byte[] bytes = decodeBytes(token);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return escapeBytes(bytes);
        }
    }

    static String escapeBytes(byte[] bytes) {
        StringBuilder out = new StringBuilder("b'");
        for (byte b : bytes) {
            int v = b & 0xff;
            if (v == '\\' || v == '\'') {
                out.append('\\').append((char) v);
            } else if (v >= 0x20 && v < 0x7f) {
                out.append((char) v);
            } else {
                out.append(String.format("\\x%02x", v));
            }
        }
        return out.append('\'').toString();
    }
}
