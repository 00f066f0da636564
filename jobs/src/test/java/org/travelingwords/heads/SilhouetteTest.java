package org.travelingwords.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The cosine silhouette on a hand-computed example. */
class SilhouetteTest {

    /** Points 0 and 1 form a cluster, 2 and 3 another; cosines chosen so that every term is easy to follow. */
    private static final double[][] COSINES = {
        {1.0, 0.8, 0.2, 0.0},
        {0.8, 1.0, 0.4, 0.2},
        {0.2, 0.4, 1.0, 0.6},
        {0.0, 0.2, 0.6, 1.0},
    };

    @Test
    void perPointAndMean() {
        int[] clusterOf = {0, 0, 1, 1};
        // point 0: a = 1 − 0.8 = 0.2, b = mean(0.8, 1.0) = 0.9, s = 0.7/0.9
        assertEquals(0.7 / 0.9, Silhouette.of(COSINES, clusterOf, 0), 1e-12);
        // point 2: a = 1 − 0.6 = 0.4, b = mean(0.8, 0.6) = 0.7, s = 0.3/0.7
        assertEquals(0.3 / 0.7, Silhouette.of(COSINES, clusterOf, 2), 1e-12);
        // point 1: a = 0.2, b = mean(0.6, 0.8) = 0.7; point 3: a = 0.4, b = mean(1.0, 0.8) = 0.9
        assertEquals((0.7 / 0.9 + 0.5 / 0.7 + 0.3 / 0.7 + 0.5 / 0.9) / 4, Silhouette.mean(COSINES, clusterOf), 1e-12);
    }

    @Test
    void zeroForASingletonOrASingleCluster() {
        assertEquals(0, Silhouette.of(COSINES, new int[] {0, 0, 0, 1}, 3));
        assertEquals(0, Silhouette.of(COSINES, new int[] {0, 0, 0, 0}, 1));
    }
}
