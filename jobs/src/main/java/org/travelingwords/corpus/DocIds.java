package org.travelingwords.corpus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Document ids that are the same on every run over the same files: the first 16 hex digits (64 bits)
 * of SHA-256 over {@code source + "\n" + location}. The source is the fully qualified path, so
 * {@code /data/a.txt} and {@code file:///data/a.txt} give the same ids. At 64 bits, a collision among
 * 10⁸ documents has a probability of about 3·10⁻⁴.
 */
final class DocIds {

    private static final int HEX_DIGITS = 16;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(DocIds::newDigest);

    private DocIds() {}

    static String of(String source, String location) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        byte[] hash = digest.digest((source + "\n" + location).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash, 0, HEX_DIGITS / 2);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
