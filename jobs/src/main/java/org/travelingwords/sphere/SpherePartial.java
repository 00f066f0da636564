package org.travelingwords.sphere;

import org.travelingwords.stats.BinaryCodec;
import org.travelingwords.stats.KeyedSummaries;
import org.travelingwords.stats.TokenTravel;

/**
 * The sphere analysis' mergeable state: the keyed summaries of {@code sphere_stats} and the
 * per-token sums of {@code token_travel}, as one byte string for the pass.
 */
record SpherePartial(KeyedSummaries summaries, TokenTravel travel) {

    private static final byte TAG = 'P';

    /** Merges {@code other} into this one's parts. */
    SpherePartial merge(SpherePartial other) {
        summaries.merge(other.summaries);
        travel.merge(other.travel);
        return this;
    }

    byte[] toBytes() {
        return BinaryCodec.encode(TAG, out -> {
            BinaryCodec.writeBlock(out, summaries.toBytes());
            BinaryCodec.writeBlock(out, travel.toBytes());
        });
    }

    static SpherePartial fromBytes(byte[] bytes) {
        return BinaryCodec.decode(bytes, TAG, "SpherePartial", in -> new SpherePartial(
                KeyedSummaries.fromBytes(BinaryCodec.readBlock(in)), TokenTravel.fromBytes(BinaryCodec.readBlock(in))));
    }
}
