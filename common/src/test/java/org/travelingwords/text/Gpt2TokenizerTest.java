package org.travelingwords.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Token ids checked against GPT-2's published vocabulary (r50k_base), not against our own output. */
class Gpt2TokenizerTest {

    private final Gpt2Tokenizer tokenizer = Gpt2Tokenizer.get();

    @Test
    void encodesKnownIds() {
        // "Hello world" is [15496, 995] in GPT-2's vocabulary; " the" is 262.
        assertArrayEquals(new int[] {15496, 995}, tokenizer.encode("Hello world"));
        assertArrayEquals(new int[] {262}, tokenizer.encode(" the"));
    }

    @Test
    void literalEndOfTextBecomesTheSpecialToken() {
        int[] ids = tokenizer.encode("a<|endoftext|>b");
        assertEquals(3, ids.length);
        assertEquals(50256, ids[1]);
        assertEquals("a<|endoftext|>b", tokenizer.decode(ids));
    }

    @Test
    void roundTripsUnicode() {
        String text = "Zürich — naïve café, 東京 🚀";
        assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
    }

    @Test
    void displaysPartialUtf8AsEscapedBytes() {
        // Byte-level pieces that are not UTF-8 on their own (e.g. the lone bytes of a multi-byte character) exist.
        int escaped = 0;
        for (int id = 0; id < Gpt2Tokenizer.VOCAB_SIZE; id++) {
            String shown = tokenizer.display(id);
            if (shown.startsWith("b'")) {
                escaped++;
                assertEquals(Gpt2Tokenizer.escapeBytes(tokenizer.decodeBytes(id)), shown);
            }
        }
        assertEquals(true, escaped > 100, "escaped pieces: " + escaped);
        assertEquals(" the", tokenizer.display(262));
        assertEquals("<|endoftext|>", tokenizer.display(50256));
        assertEquals("b'\\xe2\\x80'", Gpt2Tokenizer.escapeBytes(new byte[] {(byte) 0xe2, (byte) 0x80}));
    }

    @Test
    void refusesIdsOutsideTheVocabulary() {
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(50257));
    }
}
