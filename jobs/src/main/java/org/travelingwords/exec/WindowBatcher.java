package org.travelingwords.exec;

import java.io.Serializable;
import java.util.Map;

/**
 * Assigns windows to batches so that a batch's rows, and so every per-token number, do not
 * depend on how Spark partitioned the data: windows are grouped by length bucket (lengths
 * rounded up to {@code quantum}, which bounds padding), and inside a bucket by a hash of
 * (doc_id, window_idx) into as many groups as the token budget needs. A group larger than
 * the budget is cut, in (doc_id, window_idx) order, into batches of at most
 * {@link #rowsPerBatch} rows.
 */
public final class WindowBatcher implements Serializable {

    private final int quantum;
    private final int batchTokens;
    private final Map<Integer, Integer> groupsPerBucket;

    public WindowBatcher(int quantum, int batchTokens, Map<Integer, Integer> groupsPerBucket) {
        this.quantum = quantum;
        this.batchTokens = batchTokens;
        this.groupsPerBucket = groupsPerBucket;
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

    /**
     * Groups for a bucket of {@code windows} windows, each about {@code batchesPerGroup} full batches:
     * hashing makes group sizes vary, and only a group's last batch can be partial, so larger
     * groups waste less on partial batches while smaller ones spread over more partitions.
     */
    public static int groupsFor(long windows, int bucket, int batchTokens, int batchesPerGroup) {
        long rowsPerGroup = (long) rowsPerBatch(bucket, batchTokens) * batchesPerGroup;
        return (int) Math.max(1, (windows + rowsPerGroup - 1) / rowsPerGroup);
    }

    public int bucket(int length) {
        return bucketOf(length, quantum);
    }

    public int rowsPerBatch(int bucket) {
        return rowsPerBatch(bucket, batchTokens);
    }

    /** The group inside its bucket: a hash of the window's identity, never of its partition. */
    public int group(int bucket, String docId, int windowIdx) {
        int groups = groupsPerBucket.getOrDefault(bucket, 1);
        int hash = docId.hashCode() * 31 + windowIdx;
        return Math.floorMod(Integer.rotateLeft(hash * 0x9E3779B9, 13) * 0x85EBCA6B, groups);
    }
}
