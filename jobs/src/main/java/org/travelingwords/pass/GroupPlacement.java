package org.travelingwords.pass;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.spark.Partitioner;

/**
 * Places batch groups on the model stage's partitions so that each partition gets about the
 * same number of tokens: largest group first onto the least loaded partition (LPT), with the
 * groups' counted tokens ({@link SlotPacking}). Hashing a handful of large groups would leave one
 * task doing most of the work while the others idle; the placement depends only on the counts,
 * so it is deterministic.
 */
public final class GroupPlacement extends Partitioner {

    /** One group's identity and token count. */
    public record Group(int bucket, int group, long tokens) implements Serializable {}

    private final int partitions;
    private final Map<WindowKey.GroupId, Integer> partitionOfGroup;

    private GroupPlacement(int partitions, Map<WindowKey.GroupId, Integer> partitionOfGroup) {
        this.partitions = partitions;
        this.partitionOfGroup = partitionOfGroup;
    }

    public static GroupPlacement place(List<Group> groups, int partitions) {
        List<Group> order = new ArrayList<>(groups);
        order.sort(Comparator.comparingLong(Group::tokens).reversed()
                .thenComparingInt(Group::bucket).thenComparingInt(Group::group));
        // (load, partition index): the least loaded partition, lowest index on ties.
        PriorityQueue<long[]> load = new PriorityQueue<>(
                Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        for (int p = 0; p < partitions; p++) {
            load.add(new long[] {0, p});
        }
        Map<WindowKey.GroupId, Integer> placement = new HashMap<>();
        for (Group g : order) {
            long[] least = load.poll();
            placement.put(new WindowKey.GroupId(g.bucket(), g.group()), (int) least[1]);
            least[0] += g.tokens();
            load.add(least);
        }
        return new GroupPlacement(partitions, placement);
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    /** Keys are {@link WindowKey}s; a group the plan did not foresee cannot occur (same counts, same groups). */
    @Override
    public int getPartition(Object key) {
        WindowKey window = (WindowKey) key;
        Integer partition = partitionOfGroup.get(window.groupId());
        if (partition == null) {
            throw new IllegalStateException("window " + window + " belongs to no planned group");
        }
        return partition;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupPlacement p && p.partitions == partitions && p.partitionOfGroup.equals(partitionOfGroup);
    }

    @Override
    public int hashCode() {
        return partitionOfGroup.hashCode() * 31 + partitions;
    }
}
