package org.travelingwords.pass;

import java.io.Serializable;
import java.util.Map;

/**
 * Assigns windows to batches so that a batch's rows, and so every per-token number, do not
 * depend on how Spark partitioned the data: windows are grouped by length bucket (lengths
 * rounded up to {@code quantum}, which bounds padding), and inside a bucket by a hash of
 * (doc_id, window_idx) into {@link #SLOTS} slots, which the plan packs into groups
 * ({@link SlotPacking}). A group larger than the budget is cut, in (doc_id, window_idx) order,
 * into batches of at most {@link #rowsPerBatch} rows.
 */
public final class WindowBatcher implements Serializable {

    /** Hash slots per bucket: fine enough to pack groups of one batch, few enough to count on the driver. */
    public static final int SLOTS = 4096;

    private final int quantum;
    private final int batchTokens;
    private final Map<Integer, int[]> groupOfSlot;

    /** @param groupOfSlot per bucket, each slot's group ({@link SlotPacking.Packed#groupOfSlot}) */
    public WindowBatcher(int quantum, int batchTokens, Map<Integer, int[]> groupOfSlot) {
        this.quantum = quantum;
        this.batchTokens = batchTokens;
        this.groupOfSlot = groupOfSlot;
    }

    /** Buckets of this width keep padding under 1/32 of a full block. */
    public static int quantumFor(int blockSize) {
        return Math.max(8, blockSize / 32);
    }

    public static int bucketOf(int length, int quantum) {
        return (length + quantum - 1) / quantum * quantum;
    }

    public static int rowsPerBatch(int bucket, int batchTokens) {
        return Math.max(1, batchTokens / bucket);
    }

    /** The window's hash slot inside its bucket: a function of its identity, never of its partition. */
    public static int slot(String docId, int windowIdx) {
        int hash = docId.hashCode() * 31 + windowIdx;
        return Math.floorMod(Integer.rotateLeft(hash * 0x9E3779B9, 13) * 0x85EBCA6B, SLOTS);
    }

    public int bucket(int length) {
        return bucketOf(length, quantum);
    }

    public int rowsPerBatch(int bucket) {
        return rowsPerBatch(bucket, batchTokens);
    }

    /** The window's group inside its bucket, as the plan packed its slot. */
    public int group(int bucket, String docId, int windowIdx) {
        int[] groups = groupOfSlot.get(bucket);
        int group = groups == null ? -1 : groups[slot(docId, windowIdx)];
        if (group < 0) {
            throw new IllegalStateException("window (" + docId + ", " + windowIdx + ") of bucket " + bucket
                    + " falls in a slot the plan counted empty: the windows changed between planning and batching");
        }
        return group;
    }
}
