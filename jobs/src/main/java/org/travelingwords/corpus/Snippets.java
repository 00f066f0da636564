package org.travelingwords.corpus;

/**
 * The {@code snippet} of a reject: its first {@value #MAX_BYTES} raw bytes, printable ASCII kept and
 * every other byte written {@code \xNN}, so invalid UTF-8 and control characters stay visible and the
 * snippet is plain ASCII.
 */
final class Snippets {

    static final int MAX_BYTES = 200;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Snippets() {}

    static String escape(byte[] bytes, int length) {
        int n = Math.min(length, MAX_BYTES);
        StringBuilder out = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b <= 0x7e) {
                out.append((char) b);
            } else {
                out.append("\\x").append(HEX[b >>> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    /** The snippet of text that is already a string (parquet values): its UTF-8 bytes. */
    static String escape(String text) {
        // 200 bytes never need more than 200 chars, so encode only that prefix of a long text.
        String prefix = text.length() > MAX_BYTES ? text.substring(0, MAX_BYTES) : text;
        byte[] bytes = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return escape(bytes, bytes.length);
    }
}
