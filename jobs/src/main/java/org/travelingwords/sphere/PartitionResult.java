package org.travelingwords.sphere;

import java.io.Serializable;
import java.util.List;
import org.travelingwords.stats.KeyedSummaries;
import org.travelingwords.stats.TokenTravel;

/**
 * What one partition's sphere analysis sends back: its serialized, mergeable aggregates and
 * its sampled token rows. {@link #merge} is what Spark's tree reduction applies. A partition
 * without windows sends {@link #EMPTY} (null aggregates), the identity of the merge.
 */
public record PartitionResult(byte[] summaries, byte[] travel, List<TokenSample> samples) implements Serializable {

    public static final PartitionResult EMPTY = new PartitionResult(null, null, List.of());

    /** Merges the aggregates; samples are not carried through the reduction (they are collected apart). */
    public static PartitionResult merge(PartitionResult a, PartitionResult b) {
        if (a.summaries == null) {
            return b.withoutSamples();
        }
        if (b.summaries == null) {
            return a.withoutSamples();
        }
        KeyedSummaries summaries = KeyedSummaries.fromBytes(a.summaries);
        summaries.merge(KeyedSummaries.fromBytes(b.summaries));
        TokenTravel travel = TokenTravel.fromBytes(a.travel);
        travel.merge(TokenTravel.fromBytes(b.travel));
        return new PartitionResult(summaries.toBytes(), travel.toBytes(), List.of());
    }

    public KeyedSummaries summariesOrEmpty() {
        return summaries == null ? new KeyedSummaries() : KeyedSummaries.fromBytes(summaries);
    }

    /** Null when no partition had windows. */
    public TokenTravel travelOrEmpty() {
        return travel == null ? null : TokenTravel.fromBytes(travel);
    }

    public PartitionResult withoutSamples() {
        return new PartitionResult(summaries, travel, List.of());
    }
}
