package org.travelingwords.probejob;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.travelingwords.probes.VoProbe;

/**
 * One unit of {@code tw probe}'s work, what Spark spreads over the executors: the embedding tables,
 * one head of a block (its QK, VO, SVD and bias probes), or a block's sum over heads (the VO
 * probe's {@code sum} rows).
 */
public record ProbeTask(int block, int head) implements Serializable {

    private static final int NO_BLOCK = -1;

    public static ProbeTask embedding() {
        return new ProbeTask(NO_BLOCK, NO_BLOCK);
    }

    public static ProbeTask head(int block, int head) {
        return new ProbeTask(block, head);
    }

    public static ProbeTask headSum(int block) {
        return new ProbeTask(block, VoProbe.SUM);
    }

    public boolean isEmbedding() {
        return block == NO_BLOCK;
    }

    public boolean isHeadSum() {
        return block != NO_BLOCK && head == VoProbe.SUM;
    }

    @Override
    public String toString() {
        return isEmbedding() ? "embedding" : isHeadSum() ? "block " + block + " sum" : "block " + block + " head " + head;
    }

    /**
     * The embedding task, then block by block every head and the sum: contiguous slices of this list
     * become partitions, so a partition mostly stays in one block and computes LN1_b(E) once.
     */
    public static List<ProbeTask> plan(List<Integer> blocks, int heads) {
        List<ProbeTask> tasks = new ArrayList<>();
        tasks.add(embedding());
        for (int block : blocks) {
            for (int h = 0; h < heads; h++) {
                tasks.add(head(block, h));
            }
            tasks.add(headSum(block));
        }
        return tasks;
    }
}
