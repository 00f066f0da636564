package org.travelingwords.heads;

import org.travelingwords.text.Gpt2Tokenizer;

/** Token text for the head tables; ids beyond GPT-2's vocabulary (custom models) show as {@code <id>}. */
final class TokenText {

    private TokenText() {}

    static String of(int tokenId) {
        return tokenId < Gpt2Tokenizer.VOCAB_SIZE ? Gpt2Tokenizer.get().display(tokenId) : "<" + tokenId + ">";
    }
}
