package org.travelingwords.pass;

import java.io.Serializable;

/**
 * The deterministic token sample of {@code token_samples}: a token is in when a hash of
 * (doc_id, window_idx, position) falls below the rate, so reruns and repartitions pick the
 * same tokens.
 */
public final class TokenSampler implements Serializable {

    private final double rate;

    public TokenSampler(double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("--sample-rate must be in [0, 1], got " + rate);
        }
        this.rate = rate;
    }

    public boolean sampled(String docId, int windowIdx, int position) {
        if (rate <= 0) {
            return false;
        }
        long h = docId.hashCode() * 0x9E3779B97F4A7C15L + windowIdx * 0xC2B2AE3D27D4EB4FL + position;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        double unit = (h >>> 11) * 0x1.0p-53;
        return unit < rate;
    }
}
