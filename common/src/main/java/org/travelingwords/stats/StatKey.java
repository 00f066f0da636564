package org.travelingwords.stats;

import java.util.Comparator;
import java.util.Objects;

/**
 * The aggregation key of the sphere statistics (DESIGN §4). Keys sort by layer, site, metric, then
 * bucket in position order with {@link PositionBuckets#ALL} last — the order the tables are written in.
 *
 * @param bucket a label of {@link PositionBuckets} (checked)
 */
public record StatKey(int layer, String site, String metric, String bucket) implements Comparable<StatKey> {

    private static final Comparator<StatKey> ORDER = Comparator.comparingInt(StatKey::layer)
            .thenComparing(StatKey::site)
            .thenComparing(StatKey::metric)
            .thenComparing(StatKey::bucket, PositionBuckets.ORDER);

    public StatKey {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(metric, "metric");
        if (!PositionBuckets.isLabel(bucket)) {
            throw new IllegalArgumentException("not a position bucket: " + bucket);
        }
    }

    @Override
    public int compareTo(StatKey other) {
        return ORDER.compare(this, other);
    }
}
