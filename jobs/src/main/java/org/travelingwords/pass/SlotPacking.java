package org.travelingwords.pass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Packs one length bucket's hash slots ({@link WindowBatcher#slot}), in slot order, into batch
 * groups of about a target number of windows. The slots' window and token counts are exact (one
 * aggregation), so every group's size is known before placement: groups come out close to whole
 * batches, and {@link GroupPlacement} balances partitions on real token counts, not on
 * hash-dependent guesses.
 */
public final class SlotPacking {

    /** A non-empty slot of the bucket. */
    public record Slot(int slot, long windows, long tokens) {}

    /** groupOfSlot[s]: the group of slot s (−1 for a slot without windows); each group's tokens, by group id. */
    public record Packed(int[] groupOfSlot, long[] groupTokens) {}

    private SlotPacking() {}

    /**
     * Greedy in slot order: a slot joins the open group unless that would take it past
     * {@code targetWindows}; a slot larger than the target is a group of its own.
     */
    public static Packed pack(List<Slot> slots, long targetWindows) {
        if (targetWindows < 1) {
            throw new IllegalArgumentException("target group size must be at least one window, got " + targetWindows);
        }
        List<Slot> ordered = new ArrayList<>(slots);
        ordered.sort(Comparator.comparingInt(Slot::slot));
        int[] groupOfSlot = new int[WindowBatcher.SLOTS];
        Arrays.fill(groupOfSlot, -1);
        List<Long> tokens = new ArrayList<>();
        long openWindows = 0;
        for (Slot s : ordered) {
            if (s.windows() < 1) {
                throw new IllegalArgumentException("slot " + s.slot() + " has no windows");
            }
            if (tokens.isEmpty() || (openWindows > 0 && openWindows + s.windows() > targetWindows)) {
                tokens.add(0L);
                openWindows = 0;
            }
            int group = tokens.size() - 1;
            groupOfSlot[s.slot()] = group;
            tokens.set(group, tokens.get(group) + s.tokens());
            openWindows += s.windows();
        }
        return new Packed(groupOfSlot, tokens.stream().mapToLong(Long::longValue).toArray());
    }
}
