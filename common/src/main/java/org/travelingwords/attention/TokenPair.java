package org.travelingwords.attention;

/**
 * A (query token, key token) pair of DESIGN §5, packed into one long as query·2^20 + key for the
 * heavy-hitter sketch; 2^20 exceeds every GPT-2 vocabulary.
 */
public record TokenPair(int query, int key) {

    private static final int KEY_BITS = 20;
    private static final long KEY_MASK = (1L << KEY_BITS) - 1;

    public TokenPair {
        if (query < 0 || key < 0 || query > KEY_MASK || key > KEY_MASK) {
            throw new IllegalArgumentException("token ids must be in [0, 2^20): " + query + ", " + key);
        }
    }

    public long encode() {
        return ((long) query << KEY_BITS) | key;
    }

    public static TokenPair decode(long packed) {
        return new TokenPair((int) (packed >>> KEY_BITS), (int) (packed & KEY_MASK));
    }
}
