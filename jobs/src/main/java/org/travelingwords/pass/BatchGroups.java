package org.travelingwords.pass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch groups of a run, from its windows counted per (length bucket, hash slot): each
 * bucket's slots packed into groups of one batch (more where a single slot holds more windows:
 * very large runs), so that {@link GroupPlacement} balances the partitions to within about a
 * batch, whatever the run's size, and a group's batches do not depend on the partition count.
 *
 * @param groupOfSlot per bucket, each slot's group (for {@link WindowBatcher})
 * @param groups every group with its token count (for {@link GroupPlacement})
 */
public record BatchGroups(Map<Integer, int[]> groupOfSlot, List<GroupPlacement.Group> groups, long windows,
                          long tokens) {

    public static BatchGroups plan(Map<Integer, List<SlotPacking.Slot>> slotsByBucket, int batchTokens) {
        Map<Integer, int[]> groupOfSlot = new HashMap<>();
        List<GroupPlacement.Group> groups = new ArrayList<>();
        long windows = 0;
        long tokens = 0;
        for (Map.Entry<Integer, List<SlotPacking.Slot>> bucket : slotsByBucket.entrySet()) {
            SlotPacking.Packed packed = SlotPacking.pack(bucket.getValue(),
                    WindowBatcher.rowsPerBatch(bucket.getKey(), batchTokens));
            groupOfSlot.put(bucket.getKey(), packed.groupOfSlot());
            for (int g = 0; g < packed.groupTokens().length; g++) {
                groups.add(new GroupPlacement.Group(bucket.getKey(), g, packed.groupTokens()[g]));
                tokens += packed.groupTokens()[g];
            }
            windows += bucket.getValue().stream().mapToLong(SlotPacking.Slot::windows).sum();
        }
        return new BatchGroups(groupOfSlot, List.copyOf(groups), windows, tokens);
    }
}
