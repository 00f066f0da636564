package org.travelingwords.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PositionBucketsTest {

    @Test
    void labelsPositionsByPowersOfTwo() {
        int[] positions = {0, 1, 2, 3, 4, 7, 8, 15, 16, 255, 256, 1023};
        String[] labels = {"0", "1", "2-3", "2-3", "4-7", "4-7", "8-15", "8-15", "16-31", "128-255", "256-511", "512-1023"};
        for (int i = 0; i < positions.length; i++) {
            assertEquals(labels[i], PositionBuckets.of(positions[i]), "position " + positions[i]);
        }
        assertEquals("1073741824-2147483647", PositionBuckets.of(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> PositionBuckets.of(-1));
    }

    @Test
    void listsTheLabelsOfABlockThenAll() {
        List<String> labels = PositionBuckets.labels(256);
        assertEquals(List.of("0", "1", "2-3", "4-7", "8-15", "16-31", "32-63", "64-127", "128-255", "all"), labels);
        assertEquals(List.of("0", "all"), PositionBuckets.labels(1));
        assertEquals(List.of("0", "1", "all"), PositionBuckets.labels(2));
        assertEquals("512-1023", PositionBuckets.labels(1000).get(PositionBuckets.labels(1000).size() - 2));
        assertEquals("512-1023", PositionBuckets.labels(1024).get(PositionBuckets.labels(1024).size() - 2));
        assertThrows(IllegalArgumentException.class, () -> PositionBuckets.labels(0));
    }

    @Test
    void indexOfInvertsLabel() {
        for (int i = 0; i < PositionBuckets.MAX_INDEXED_BUCKETS; i++) {
            assertEquals(i, PositionBuckets.indexOf(PositionBuckets.label(i)));
        }
        for (String bad : new String[] {"all", "2-4", "3-3", "-1", "x", "", "01", "4-7 "}) {
            assertThrows(IllegalArgumentException.class, () -> PositionBuckets.indexOf(bad), bad);
            assertEquals("all".equals(bad), PositionBuckets.isLabel(bad), bad);
        }
        assertFalse(PositionBuckets.isLabel(null));
        assertTrue(PositionBuckets.isLabel("128-255"));
    }

    @Test
    void ordersByFirstPositionWithAllLast() {
        List<String> shuffled = new ArrayList<>(List.of("all", "128-255", "2-3", "16-31", "0", "1"));
        shuffled.sort(PositionBuckets.ORDER);
        assertEquals(List.of("0", "1", "2-3", "16-31", "128-255", "all"), shuffled);
    }

    @Test
    void statKeysSortByLayerSiteMetricThenBucket() {
        List<StatKey> keys = new ArrayList<>(List.of(
                new StatKey(1, "resid_pre", "norm", "0"),
                new StatKey(0, "resid_pre", "norm", "all"),
                new StatKey(0, "resid_pre", "norm", "128-255"),
                new StatKey(0, "resid_pre", "norm", "2-3"),
                new StatKey(0, "resid_post", "norm", "0"),
                new StatKey(0, "resid_pre", "scale", "0")));
        keys.sort(null);
        assertEquals(List.of(
                new StatKey(0, "resid_post", "norm", "0"),
                new StatKey(0, "resid_pre", "norm", "2-3"),
                new StatKey(0, "resid_pre", "norm", "128-255"),
                new StatKey(0, "resid_pre", "norm", "all"),
                new StatKey(0, "resid_pre", "scale", "0"),
                new StatKey(1, "resid_pre", "norm", "0")), keys);
        assertThrows(IllegalArgumentException.class, () -> new StatKey(0, "resid_pre", "norm", "2-4"));
        assertThrows(NullPointerException.class, () -> new StatKey(0, null, "norm", "0"));
    }
}
