package org.travelingwords.attention;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.LongsSketch;
import org.apache.datasketches.memory.Memory;
import org.travelingwords.model.TokenBatch;
import org.travelingwords.stats.BinaryCodec;
import org.travelingwords.stats.KeyedSummaries;
import org.travelingwords.stats.StatKey;

/**
 * The mergeable head statistics of one partition, or of a whole run (DESIGN §5):
 * <ul>
 * <li>a {@link KeyedSummaries} keyed (layer, head, metric, position bucket): the head index takes the
 *     site's place in the key ({@link #headOf});</li>
 * <li>per head, two frequent-items sketches of the (query, key) pairs ({@link TokenPair}): one counts
 *     them, one adds their attention weight p_{k*} in units of 1e-6 ({@link #MASS_UNITS}, rounded), so
 *     that the mass of a tracked pair is estimated with bounds like its count;</li>
 * <li>per head, a frequent-items sketch of the promoted tokens of the sampled queries;</li>
 * <li>per head, Σ result_h(t) in double, and per layer the number of tokens summed (the mean view).</li>
 * </ul>
 * Sums and summary counts merge exactly. A frequent-items sketch of maximum map size M reports each
 * item's weight within [lower, upper] bounds whose width is at most 3.5/M of the stream's total weight
 * (DataSketches' a-priori error) and exact while fewer than 0.75·M distinct items were seen; merging
 * partitions keeps those guarantees.
 */
public final class HeadAggregates {

    /** Attention weights are added to the mass sketch as round(p · MASS_UNITS). */
    public static final double MASS_UNITS = 1e6;

    private static final byte TAG = 'H';

    private final int layers;
    private final int heads;
    private final int dModel;
    private final int sketchSize;
    private final KeyedSummaries stats;
    private final LongsSketch[] pairCounts;
    private final LongsSketch[] pairMass;
    private final LongsSketch[] promoted;
    private final double[] writeSums;
    private final long[] writeTokens;

    /** @param sketchSize the frequent-items sketches' maximum map size, a power of 2 (see {@link #sketchSizeFor}) */
    public HeadAggregates(int layers, int heads, int dModel, int sketchSize) {
        if (layers < 1 || heads < 1 || dModel < 1 || Integer.bitCount(sketchSize) != 1 || sketchSize < 8) {
            throw new IllegalArgumentException("bad shape " + layers + " x " + heads + " x " + dModel
                    + " or sketch size " + sketchSize + " (a power of 2, at least 8)");
        }
        this.layers = layers;
        this.heads = heads;
        this.dModel = dModel;
        this.sketchSize = sketchSize;
        this.stats = new KeyedSummaries();
        int series = layers * heads;
        this.pairCounts = newSketches(series, sketchSize);
        this.pairMass = newSketches(series, sketchSize);
        this.promoted = newSketches(series, sketchSize);
        this.writeSums = new double[series * dModel];
        this.writeTokens = new long[layers];
    }

    /** A map size that keeps the top {@code top} items well inside the sketch: 16·top rounded up to a power of 2, at least 2048. */
    public static int sketchSizeFor(int top) {
        int wanted = Math.max(2048, 16 * Math.max(1, top));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    private static LongsSketch[] newSketches(int n, int size) {
        LongsSketch[] sketches = new LongsSketch[n];
        for (int i = 0; i < n; i++) {
            sketches[i] = new LongsSketch(size);
        }
        return sketches;
    }

    /** The key's site field holds the head index. */
    public static String siteOf(int head) {
        return Integer.toString(head);
    }

    public static int headOf(StatKey key) {
        return Integer.parseInt(key.site());
    }

    /** Folds one layer of one batch in (its promoted tokens come separately, through {@link #addPromoted}). */
    public void update(HeadLayer layer) {
        if (layer.heads() != heads || layer.layer() < 0 || layer.layer() >= layers) {
            throw new IllegalArgumentException("layer " + layer.layer() + " with " + layer.heads()
                    + " heads does not fit " + layers + " layers x " + heads + " heads");
        }
        TokenBatch batch = layer.batch();
        int seqLen = batch.seqLen();
        long[] ids = batch.ids();
        int queries = layer.writeTokens();
        int[] rowOf = new int[queries];
        int[] positions = new int[queries];
        for (int b = 0, i = 0; b < batch.batchSize(); b++) {
            for (int t = 1; t < batch.lengths()[b]; t++, i++) {
                rowOf[i] = b;
                positions[i] = t;
            }
        }
        float[] compact = new float[queries];
        for (int h = 0; h < heads; h++) {
            int series = layer.layer() * heads + h;
            for (HeadMetric metric : HeadMetric.values()) {
                float[] values = layer.metrics()[metric.ordinal()];
                for (int i = 0; i < queries; i++) {
                    compact[i] = values[layer.index(rowOf[i], h, positions[i])];
                }
                stats.update(layer.layer(), siteOf(h), metric.label(), compact, positions, queries);
            }
            for (int i = 0; i < queries; i++) {
                int at = layer.index(rowOf[i], h, positions[i]);
                int rowStart = rowOf[i] * seqLen;
                long pair = new TokenPair((int) ids[rowStart + positions[i]],
                        (int) ids[rowStart + layer.keyPositions()[at]]).encode();
                pairCounts[series].update(pair);
                pairMass[series].update(pair, Math.round(layer.keyWeights()[at] * MASS_UNITS));
            }
            for (int d = 0; d < dModel; d++) {
                writeSums[series * dModel + d] += layer.writeSums()[h * dModel + d];
            }
        }
        writeTokens[layer.layer()] += queries;
    }

    /** Counts one layer's promoted tokens, indexed i·H + h per scored cell i and head h ({@link PromotedScorer}). */
    public void addPromoted(int layer, int[] tokens) {
        if (layer < 0 || layer >= layers || tokens.length % heads != 0) {
            throw new IllegalArgumentException(tokens.length + " promoted tokens of layer " + layer + " do not fit "
                    + layers + " layers x " + heads + " heads");
        }
        for (int h = 0; h < heads; h++) {
            for (int i = h; i < tokens.length; i += heads) {
                promoted[layer * heads + h].update(tokens[i]);
            }
        }
    }

    /** Folds {@code other} (same shape and sketch size) into this one; {@code other} is not changed. */
    public void merge(HeadAggregates other) {
        if (other.layers != layers || other.heads != heads || other.dModel != dModel || other.sketchSize != sketchSize) {
            throw new IllegalArgumentException("cannot merge head aggregates of another shape or sketch size");
        }
        stats.merge(other.stats);
        for (int s = 0; s < pairCounts.length; s++) {
            pairCounts[s].merge(other.pairCounts[s]);
            pairMass[s].merge(other.pairMass[s]);
            promoted[s].merge(other.promoted[s]);
        }
        for (int i = 0; i < writeSums.length; i++) {
            writeSums[i] += other.writeSums[i];
        }
        for (int l = 0; l < layers; l++) {
            writeTokens[l] += other.writeTokens[l];
        }
    }

    public int layers() {
        return layers;
    }

    public int heads() {
        return heads;
    }

    /** The per-query metric summaries; read them, don't update them. */
    public KeyedSummaries stats() {
        return stats;
    }

    /** The {@code n} most frequent (query, key) pairs of a head, by estimated count, then by pair. */
    public List<HeavyHitter> topPairs(int layer, int head, int n) {
        return top(pairCounts[series(layer, head)], n);
    }

    /** The estimated attention mass of a pair in units of 1/{@link #MASS_UNITS}, with its bounds. */
    public HeavyHitter massOf(int layer, int head, long pair) {
        LongsSketch sketch = pairMass[series(layer, head)];
        return new HeavyHitter(pair, sketch.getEstimate(pair), sketch.getLowerBound(pair), sketch.getUpperBound(pair));
    }

    /** The {@code n} tokens a head promotes most often on the sampled queries, by estimated count. */
    public List<HeavyHitter> topPromoted(int layer, int head, int n) {
        return top(promoted[series(layer, head)], n);
    }

    /** S/n of DESIGN §5's mean view: the head's average write over the tokens t ≥ 1; null before any token. */
    public float[] meanWrite(int layer, int head) {
        long n = writeTokens[layer];
        if (n == 0) {
            return null;
        }
        float[] mean = new float[dModel];
        int from = series(layer, head) * dModel;
        for (int d = 0; d < dModel; d++) {
            mean[d] = (float) (writeSums[from + d] / n);
        }
        return mean;
    }

    private int series(int layer, int head) {
        if (layer < 0 || layer >= layers || head < 0 || head >= heads) {
            throw new IllegalArgumentException("no head (" + layer + ", " + head + ") in " + layers + " x " + heads);
        }
        return layer * heads + head;
    }

    /** Every item that may be frequent (no false negatives), largest estimate first, ties by item. */
    private static List<HeavyHitter> top(LongsSketch sketch, int n) {
        List<HeavyHitter> items = new ArrayList<>();
        for (LongsSketch.Row row : sketch.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES)) {
            items.add(new HeavyHitter(row.getItem(), row.getEstimate(), row.getLowerBound(), row.getUpperBound()));
        }
        items.sort(Comparator.comparingLong(HeavyHitter::estimate).reversed().thenComparingLong(HeavyHitter::item));
        return List.copyOf(items.subList(0, Math.min(n, items.size())));
    }

    public byte[] toBytes() {
        return BinaryCodec.encode(TAG, out -> {
            out.writeInt(layers);
            out.writeInt(heads);
            out.writeInt(dModel);
            out.writeInt(sketchSize);
            BinaryCodec.writeBlock(out, stats.toBytes());
            for (int s = 0; s < pairCounts.length; s++) {
                BinaryCodec.writeBlock(out, pairCounts[s].toByteArray());
                BinaryCodec.writeBlock(out, pairMass[s].toByteArray());
                BinaryCodec.writeBlock(out, promoted[s].toByteArray());
            }
            for (double sum : writeSums) {
                out.writeDouble(sum);
            }
            for (long n : writeTokens) {
                out.writeLong(n);
            }
        });
    }

    /** Reads {@link #toBytes()}; anything else is an IllegalArgumentException. */
    public static HeadAggregates fromBytes(byte[] bytes) {
        return BinaryCodec.decode(bytes, TAG, "HeadAggregates", in -> {
            HeadAggregates a = new HeadAggregates(in.readInt(), in.readInt(), in.readInt(), in.readInt());
            a.stats.merge(KeyedSummaries.fromBytes(BinaryCodec.readBlock(in)));
            for (int s = 0; s < a.pairCounts.length; s++) {
                a.pairCounts[s] = LongsSketch.getInstance(Memory.wrap(BinaryCodec.readBlock(in)));
                a.pairMass[s] = LongsSketch.getInstance(Memory.wrap(BinaryCodec.readBlock(in)));
                a.promoted[s] = LongsSketch.getInstance(Memory.wrap(BinaryCodec.readBlock(in)));
            }
            for (int i = 0; i < a.writeSums.length; i++) {
                a.writeSums[i] = in.readDouble();
            }
            for (int l = 0; l < a.layers; l++) {
                a.writeTokens[l] = in.readLong();
            }
            return a;
        });
    }
}
