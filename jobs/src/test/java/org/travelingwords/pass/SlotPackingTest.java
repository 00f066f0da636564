package org.travelingwords.pass;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotPackingTest {

    @Test
    void packsSlotsInOrderUpToTheTarget() {
        // given out of order: packing follows the slot index
        List<SlotPacking.Slot> slots = List.of(
                new SlotPacking.Slot(9, 3, 30), new SlotPacking.Slot(2, 4, 40), new SlotPacking.Slot(5, 4, 41),
                new SlotPacking.Slot(7, 1, 10), new SlotPacking.Slot(11, 20, 200), new SlotPacking.Slot(12, 2, 20));
        SlotPacking.Packed packed = SlotPacking.pack(slots, 8);
        int[] expected = new int[WindowBatcher.SLOTS];
        Arrays.fill(expected, -1);
        expected[2] = 0;   // 4
        expected[5] = 0;   // 4 + 4 = 8: still fits
        expected[7] = 1;   // 9 would not
        expected[9] = 1;   // 1 + 3
        expected[11] = 2;  // 20: a slot over the target is a group of its own
        expected[12] = 3;
        assertArrayEquals(expected, packed.groupOfSlot());
        assertArrayEquals(new long[] {81, 40, 200, 20}, packed.groupTokens());
    }

    @Test
    void rejectsEmptySlotsAndTargets() {
        assertThrows(IllegalArgumentException.class, () -> SlotPacking.pack(List.of(new SlotPacking.Slot(0, 0, 0)), 8));
        assertThrows(IllegalArgumentException.class, () -> SlotPacking.pack(List.of(new SlotPacking.Slot(0, 1, 5)), 0));
        assertEquals(0, SlotPacking.pack(List.of(), 8).groupTokens().length);
    }
}
