package org.travelingwords.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * How far each vocabulary token travels (the {@code token_travel} table): per (layer, token id),
 * the count and the sums of four resid_post metrics (DESIGN §4) — norm, layer_angle, embed_angle
 * and log_ratio. log_ratio is absent (NaN) at a window's last token, so it keeps its own count.
 *
 * <p>Sums are plain doubles; counts are exact, so merging partitions in any order gives equal counts
 * and means equal up to rounding. norm and the angles must not be NaN.
 *
 * <p>Storage is sparse: a dense layers × vocab index (one int per cell, 0 = no data) points into
 * growable columns holding only the cells seen, so memory and {@link #toBytes()} scale with the
 * cells touched rather than with 12 × 50,257.
 */
public final class TokenTravel {

    /** Receives one row of {@link #forEachRow}. */
    @FunctionalInterface
    public interface RowConsumer {
        void accept(int layer, int tokenId, long count, double meanNorm, double meanLayerAngle,
                double meanEmbedAngle, double meanLogRatio);
    }

    private static final long serialVersionUID = 1L;
    private static final byte TAG = 'T';
    private static final int INITIAL_CAPACITY = 1024;

    private final int layers;
    private final int vocabSize;
    /** Cell (layer · vocabSize + tokenId) → its row + 1; 0 means the cell has no data. */
    private final int[] rowOfCellPlusOne;

    private int rows;
    private int[] cellOfRow = new int[INITIAL_CAPACITY];
    private long[] count = new long[INITIAL_CAPACITY];
    private long[] logRatioCount = new long[INITIAL_CAPACITY];
    private double[] sumNorm = new double[INITIAL_CAPACITY];
    private double[] sumLayerAngle = new double[INITIAL_CAPACITY];
    private double[] sumEmbedAngle = new double[INITIAL_CAPACITY];
    private double[] sumLogRatio = new double[INITIAL_CAPACITY];

    public TokenTravel(int layers, int vocabSize) {
        if (layers < 1 || vocabSize < 1) {
            throw new IllegalArgumentException("layers and vocabSize must be positive: " + layers + ", " + vocabSize);
        }
        this.layers = layers;
        this.vocabSize = vocabSize;
        this.rowOfCellPlusOne = new int[Math.multiplyExact(layers, vocabSize)];
    }

    public int layers() {
        return layers;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** The number of (layer, token) cells with count > 0. */
    public int nonEmptyCells() {
        return rows;
    }

    /** Adds one token's metrics at one layer; a NaN {@code logRatio} means "absent" and is not counted. */
    public void update(int layer, int tokenId, float norm, float layerAngle, float embedAngle, float logRatio) {
        int row = rowOf(cell(layer, tokenId));
        count[row]++;
        sumNorm[row] += norm;
        sumLayerAngle[row] += layerAngle;
        sumEmbedAngle[row] += embedAngle;
        if (!Float.isNaN(logRatio)) {
            logRatioCount[row]++;
            sumLogRatio[row] += logRatio;
        }
    }

    /** Folds {@code other} (same layers and vocabulary) into this one; {@code other} is not changed. */
    public void merge(TokenTravel other) {
        requireSameShape(other.layers, other.vocabSize);
        for (int theirs = 0; theirs < other.rows; theirs++) {
            int mine = rowOf(other.cellOfRow[theirs]);
            count[mine] += other.count[theirs];
            logRatioCount[mine] += other.logRatioCount[theirs];
            sumNorm[mine] += other.sumNorm[theirs];
            sumLayerAngle[mine] += other.sumLayerAngle[theirs];
            sumEmbedAngle[mine] += other.sumEmbedAngle[theirs];
            sumLogRatio[mine] += other.sumLogRatio[theirs];
        }
    }

    /** Every cell with data, in (layer, token id) order; meanLogRatio is NaN where no log_ratio was seen. */
    public void forEachRow(RowConsumer consumer) {
        for (int cell = 0; cell < rowOfCellPlusOne.length; cell++) {
            int row = rowOfCellPlusOne[cell] - 1;
            if (row < 0) {
                continue;
            }
            long n = count[row];
            long nLog = logRatioCount[row];
            consumer.accept(cell / vocabSize, cell % vocabSize, n,
                    sumNorm[row] / n, sumLayerAngle[row] / n, sumEmbedAngle[row] / n,
                    nLog == 0 ? Double.NaN : sumLogRatio[row] / nLog);
        }
    }

    /** Sparse: the shape, then only the cells with data, in cell order (equal contents give equal bytes). */
    public byte[] toBytes() {
        return BinaryCodec.encode(TAG, this::writeCells);
    }

    public static TokenTravel fromBytes(byte[] bytes) {
        return BinaryCodec.decode(bytes, TAG, "TokenTravel", TokenTravel::readCells);
    }

    private void writeCells(DataOutputStream out) throws IOException {
        out.writeInt(layers);
        out.writeInt(vocabSize);
        out.writeInt(rows);
        for (int cell = 0; cell < rowOfCellPlusOne.length; cell++) {
            int row = rowOfCellPlusOne[cell] - 1;
            if (row < 0) {
                continue;
            }
            out.writeInt(cell);
            out.writeLong(count[row]);
            out.writeLong(logRatioCount[row]);
            out.writeDouble(sumNorm[row]);
            out.writeDouble(sumLayerAngle[row]);
            out.writeDouble(sumEmbedAngle[row]);
            out.writeDouble(sumLogRatio[row]);
        }
    }

    private static TokenTravel readCells(DataInputStream in) throws IOException {
        TokenTravel travel = new TokenTravel(in.readInt(), in.readInt());
        int cells = in.readInt();
        if (cells < 0 || cells > travel.rowOfCellPlusOne.length) {
            throw new IllegalArgumentException("corrupt TokenTravel: " + cells + " cells");
        }
        for (int i = 0; i < cells; i++) {
            int cell = in.readInt();
            if (cell < 0 || cell >= travel.rowOfCellPlusOne.length || travel.rowOfCellPlusOne[cell] != 0) {
                throw new IllegalArgumentException("corrupt TokenTravel: bad or repeated cell " + cell);
            }
            int row = travel.rowOf(cell);
            travel.count[row] = in.readLong();
            travel.logRatioCount[row] = in.readLong();
            if (travel.count[row] <= 0 || travel.logRatioCount[row] < 0 || travel.logRatioCount[row] > travel.count[row]) {
                throw new IllegalArgumentException("corrupt TokenTravel: counts " + travel.count[row]
                        + ", " + travel.logRatioCount[row] + " at cell " + cell);
            }
            travel.sumNorm[row] = in.readDouble();
            travel.sumLayerAngle[row] = in.readDouble();
            travel.sumEmbedAngle[row] = in.readDouble();
            travel.sumLogRatio[row] = in.readDouble();
        }
        return travel;
    }

    private int cell(int layer, int tokenId) {
        if (layer < 0 || layer >= layers || tokenId < 0 || tokenId >= vocabSize) {
            throw new IllegalArgumentException("(layer " + layer + ", token " + tokenId
                    + ") outside " + layers + " layers × " + vocabSize + " tokens");
        }
        return layer * vocabSize + tokenId;
    }

    /** The row of {@code cell}, appending an empty one the first time the cell is seen. */
    private int rowOf(int cell) {
        int row = rowOfCellPlusOne[cell] - 1;
        if (row >= 0) {
            return row;
        }
        if (rows == cellOfRow.length) {
            grow();
        }
        row = rows++;
        cellOfRow[row] = cell;
        rowOfCellPlusOne[cell] = row + 1;
        return row;
    }

    private void grow() {
        int capacity = Math.min(rowOfCellPlusOne.length, cellOfRow.length * 2);
        cellOfRow = Arrays.copyOf(cellOfRow, capacity);
        count = Arrays.copyOf(count, capacity);
        logRatioCount = Arrays.copyOf(logRatioCount, capacity);
        sumNorm = Arrays.copyOf(sumNorm, capacity);
        sumLayerAngle = Arrays.copyOf(sumLayerAngle, capacity);
        sumEmbedAngle = Arrays.copyOf(sumEmbedAngle, capacity);
        sumLogRatio = Arrays.copyOf(sumLogRatio, capacity);
    }

    private void requireSameShape(int otherLayers, int otherVocabSize) {
        if (otherLayers != layers || otherVocabSize != vocabSize) {
            throw new IllegalArgumentException("cannot merge " + otherLayers + " × " + otherVocabSize
                    + " token travel into " + layers + " × " + vocabSize);
        }
    }
}
