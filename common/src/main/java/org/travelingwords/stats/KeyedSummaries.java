package org.travelingwords.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The sphere statistics of one partition (DESIGN §4): a {@link MetricSummary} per
 * (layer, site, metric, position bucket), where a value at position p ≥ 1 also counts in
 * {@link PositionBuckets#ALL} and position 0 counts only in bucket "0".
 *
 * <p>Only keys that received a value exist. Merging partitions in any grouping or order gives the
 * same keys and counts exactly, and moments and quantiles within {@link MetricSummary}'s bounds.
 *
 * <p>Storage is per series (layer, site, metric): an array of summaries indexed by bucket index,
 * so the hot loop of {@link #update} does one map lookup per call and none per value. A value goes
 * into its own bucket only: {@link PositionBuckets#ALL} is the merge of the buckets of positions ≥ 1,
 * built when {@link #entries()} is read, which halves the sketch updates of the hot loop and keeps
 * the same bounds (a merged KLL sketch has the rank error of one fed the whole stream). Nor is it
 * stored in the bytes; an {@code all} entry in bytes written before that is derivable, and skipped.
 */
public final class KeyedSummaries {

    private static final long serialVersionUID = 1L;
    private static final byte TAG = 'K';

    private record SeriesKey(int layer, String site, String metric) {
        SeriesKey {
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(metric, "metric");
        }
    }

    private final Map<SeriesKey, MetricSummary[]> series = new HashMap<>();

    /**
     * Adds {@code values[i]} at token position {@code positions[i]} for {@code i < n} to the series
     * (layer, site, metric); NaN values (metric undefined at that token, or padding) are skipped.
     */
    public void update(int layer, String site, String metric, float[] values, int[] positions, int n) {
        if (n < 0 || n > values.length || n > positions.length) {
            throw new IllegalArgumentException("n = " + n + " outside values[" + values.length
                    + "] / positions[" + positions.length + "]");
        }
        MetricSummary[] slots = slots(new SeriesKey(layer, site, metric));
        for (int i = 0; i < n; i++) {
            float value = values[i];
            if (Float.isNaN(value)) {
                continue;
            }
            summaryAt(slots, PositionBuckets.index(positions[i])).update(value);
        }
    }

    /** Folds {@code other} into this one; {@code other} is not changed and shares nothing with this. */
    public void merge(KeyedSummaries other) {
        for (Map.Entry<SeriesKey, MetricSummary[]> entry : other.series.entrySet()) {
            MetricSummary[] mine = slots(entry.getKey());
            MetricSummary[] theirs = entry.getValue();
            for (int slot = 0; slot < theirs.length; slot++) {
                if (theirs[slot] != null) {
                    summaryAt(mine, slot).merge(theirs[slot]);
                }
            }
        }
    }

    /**
     * Every key with data, in {@link StatKey} order, {@link PositionBuckets#ALL} merged from the
     * buckets now. The map is unmodifiable but the buckets' summaries are this object's own: read
     * them, don't update them.
     */
    public SortedMap<StatKey, MetricSummary> entries() {
        SortedMap<StatKey, MetricSummary> entries = new TreeMap<>(buckets());
        series.forEach((key, slots) -> {
            MetricSummary all = null;
            for (int slot = 1; slot < slots.length; slot++) {
                if (slots[slot] != null) {
                    all = all == null ? new MetricSummary() : all;
                    all.merge(slots[slot]);
                }
            }
            if (all != null) {
                entries.put(new StatKey(key.layer(), key.site(), key.metric(), PositionBuckets.ALL), all);
            }
        });
        return Collections.unmodifiableSortedMap(entries);
    }

    /** The stored keys, every one but {@link PositionBuckets#ALL}, in {@link StatKey} order. */
    private SortedMap<StatKey, MetricSummary> buckets() {
        SortedMap<StatKey, MetricSummary> buckets = new TreeMap<>();
        series.forEach((key, slots) -> {
            for (int slot = 0; slot < slots.length; slot++) {
                if (slots[slot] != null) {
                    buckets.put(new StatKey(key.layer(), key.site(), key.metric(), PositionBuckets.label(slot)),
                            slots[slot]);
                }
            }
        });
        return buckets;
    }

    /** True when no key has received a value. */
    public boolean isEmpty() {
        for (MetricSummary[] slots : series.values()) {
            for (MetricSummary summary : slots) {
                if (summary != null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Entries in {@link StatKey} order, so equal contents give equal bytes. */
    public byte[] toBytes() {
        return BinaryCodec.encode(TAG, this::writeEntries);
    }

    public static KeyedSummaries fromBytes(byte[] bytes) {
        return BinaryCodec.decode(bytes, TAG, "KeyedSummaries", KeyedSummaries::readEntries);
    }

    private void writeEntries(DataOutputStream out) throws IOException {
        SortedMap<StatKey, MetricSummary> entries = buckets();
        out.writeInt(entries.size());
        for (Map.Entry<StatKey, MetricSummary> entry : entries.entrySet()) {
            StatKey key = entry.getKey();
            out.writeInt(key.layer());
            out.writeUTF(key.site());
            out.writeUTF(key.metric());
            out.writeUTF(key.bucket());
            entry.getValue().write(out);
        }
    }

    private static KeyedSummaries readEntries(DataInputStream in) throws IOException {
        KeyedSummaries result = new KeyedSummaries();
        int size = in.readInt();
        if (size < 0) {
            throw new IllegalArgumentException("corrupt KeyedSummaries: " + size + " entries");
        }
        for (int i = 0; i < size; i++) {
            SeriesKey key = new SeriesKey(in.readInt(), in.readUTF(), in.readUTF());
            String bucket = in.readUTF();
            MetricSummary summary = MetricSummary.read(in);
            if (PositionBuckets.ALL.equals(bucket)) {
                continue;
            }
            int slot = PositionBuckets.indexOf(bucket);
            MetricSummary[] slots = result.slots(key);
            if (slots[slot] != null) {
                throw new IllegalArgumentException("corrupt KeyedSummaries: duplicate key " + key + " " + bucket);
            }
            slots[slot] = summary;
        }
        return result;
    }

    private MetricSummary[] slots(SeriesKey key) {
        return series.computeIfAbsent(key, k -> new MetricSummary[PositionBuckets.MAX_INDEXED_BUCKETS]);
    }

    private static MetricSummary summaryAt(MetricSummary[] slots, int slot) {
        MetricSummary summary = slots[slot];
        if (summary == null) {
            summary = new MetricSummary();
            slots[slot] = summary;
        }
        return summary;
    }
}
