package org.travelingwords.sphere;

import java.io.Serializable;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.travelingwords.attention.HeadAggregates;
import org.travelingwords.stats.KeyedSummaries;
import org.travelingwords.stats.TokenTravel;

/**
 * What one partition's pass sends back: the serialized, mergeable aggregates of each enabled
 * analysis (null for an analysis that did not run, or a partition without windows) and the
 * sampled token rows. {@link #merge} is what Spark's tree reduction applies; null is the identity
 * of every part, so {@link #EMPTY} is the identity of the merge.
 *
 * @param summaries sphere_stats' {@link KeyedSummaries}
 * @param travel    token_travel's {@link TokenTravel}
 * @param heads     the heads analysis' {@link HeadAggregates}
 */
public record PartitionResult(byte[] summaries, byte[] travel, byte[] heads, List<TokenSample> samples)
        implements Serializable {

    public static final PartitionResult EMPTY = new PartitionResult(null, null, null, List.of());

    /** Merges the aggregates part by part; samples are not carried through the reduction (they are collected apart). */
    public static PartitionResult merge(PartitionResult a, PartitionResult b) {
        return new PartitionResult(
                mergePart(a.summaries, b.summaries, KeyedSummaries::fromBytes, KeyedSummaries::merge, KeyedSummaries::toBytes),
                mergePart(a.travel, b.travel, TokenTravel::fromBytes, TokenTravel::merge, TokenTravel::toBytes),
                mergePart(a.heads, b.heads, HeadAggregates::fromBytes, HeadAggregates::merge, HeadAggregates::toBytes),
                List.of());
    }

    private static <T> byte[] mergePart(byte[] a, byte[] b, Function<byte[], T> read, BiConsumer<T, T> merge,
                                        Function<T, byte[]> write) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        T merged = read.apply(a);
        merge.accept(merged, read.apply(b));
        return write.apply(merged);
    }

    public KeyedSummaries summariesOrEmpty() {
        return summaries == null ? new KeyedSummaries() : KeyedSummaries.fromBytes(summaries);
    }

    /** Null when no partition had windows, or the sphere analysis did not run. */
    public TokenTravel travelOrNull() {
        return travel == null ? null : TokenTravel.fromBytes(travel);
    }

    /** Null when no partition had windows, or the heads analysis did not run. */
    public HeadAggregates headsOrNull() {
        return heads == null ? null : HeadAggregates.fromBytes(heads);
    }

    public PartitionResult withoutSamples() {
        return new PartitionResult(summaries, travel, heads, List.of());
    }
}
