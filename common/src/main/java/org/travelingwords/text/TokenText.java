package org.travelingwords.text;


/** Token text for tables and reports: GPT-2's display text, {@code <id>} beyond its vocabulary (custom models). */
public final class TokenText {

    private TokenText() {}

    public static String of(int tokenId) {
        return tokenId >= 0 && tokenId < Gpt2Tokenizer.VOCAB_SIZE ? Gpt2Tokenizer.get().display(tokenId) : "<" + tokenId + ">";
    }

    public static String[] of(int[] tokenIds) {
        String[] out = new String[tokenIds.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = of(tokenIds[i]);
        }
        return out;
    }

    /**
     * The text in quotes with control characters escaped, for the text report; a token that is not
     * valid UTF-8 on its own keeps the bytes form {@code b'\xe2\x80'} that {@link #of} gives it.
     */
    public static String quoted(int tokenId) {
        String text = of(tokenId);
        boolean bytes = tokenId >= 0 && tokenId < Gpt2Tokenizer.VOCAB_SIZE && !text.equals(Gpt2Tokenizer.get().decode(tokenId));
        if (bytes) {
            return text;
        }
        StringBuilder out = new StringBuilder("'");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('\'').toString();
    }
}
