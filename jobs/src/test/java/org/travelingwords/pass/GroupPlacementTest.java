package org.travelingwords.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupPlacementTest {

    private static List<GroupPlacement.Group> groups() {
        List<GroupPlacement.Group> groups = new ArrayList<>();
        for (int g = 0; g < 7; g++) {
            groups.add(new GroupPlacement.Group(256, g, 8192));
        }
        for (int g = 0; g < 5; g++) {
            groups.add(new GroupPlacement.Group(64, g, 2048));
        }
        groups.add(new GroupPlacement.Group(8, 0, 40));
        return groups;
    }

    @Test
    void balancesTokensAcrossPartitions() {
        GroupPlacement placement = GroupPlacement.place(groups(), 3);
        double[] load = new double[3];
        for (GroupPlacement.Group g : groups()) {
            load[placement.getPartition(new WindowKey(g.bucket(), g.group(), "d", 0))] += g.tokens();
        }
        double total = load[0] + load[1] + load[2];
        for (double l : load) {
            // LPT keeps every partition within one largest group of the mean
            assertTrue(Math.abs(l - total / 3) <= 8192, "loads " + java.util.Arrays.toString(load));
        }
    }

    @Test
    void isDeterministicAndKeepsAGroupTogether() {
        GroupPlacement a = GroupPlacement.place(groups(), 4);
        List<GroupPlacement.Group> reversed = new ArrayList<>(groups());
        java.util.Collections.reverse(reversed);
        GroupPlacement b = GroupPlacement.place(reversed, 4);
        assertEquals(a, b, "the input order does not matter");
        assertEquals(a.getPartition(new WindowKey(64, 3, "x", 0)), a.getPartition(new WindowKey(64, 3, "y", 9)));
        assertThrows(IllegalStateException.class, () -> a.getPartition(new WindowKey(512, 0, "x", 0)));
    }
}
