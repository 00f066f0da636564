package org.travelingwords.heads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Spherical k-means on planted directions: groups of points around a few random directions, each
 * point at a random length (only directions count), are recovered with k chosen by the silhouette.
 */
class SphericalKMeansTest {

    private static final int DIMENSIONS = 12;
    private static final int PER_GROUP = 6;

    @Test
    void recoversPlantedDirectionsWhateverTheLengths() {
        for (int groups : new int[] {2, 3, 5}) {
            double[][] points = planted(groups, new SplittableRandom(groups));
            int[] clusterOf = new SphericalKMeans(points).fitBestK(8);
            assertEquals(groups, Arrays.stream(clusterOf).max().orElseThrow() + 1, "k for " + groups + " planted groups");
            for (int i = 0; i < points.length; i++) {
                for (int j = 0; j < points.length; j++) {
                    if (i / PER_GROUP == j / PER_GROUP) {
                        assertEquals(clusterOf[i], clusterOf[j], "same group: " + i + ", " + j);
                    } else {
                        assertNotEquals(clusterOf[i], clusterOf[j], "different groups: " + i + ", " + j);
                    }
                }
            }
        }
    }

    @Test
    void theChosenKHasTheBestMeanSilhouette() {
        double[][] points = planted(4, new SplittableRandom(21));
        SphericalKMeans kMeans = new SphericalKMeans(points);
        double[][] cosines = cosines(points);
        int[] chosen = kMeans.fitBestK(10);
        double best = Silhouette.mean(cosines, chosen);
        for (int k = 2; k <= 10; k++) {
            assertTrue(Silhouette.mean(cosines, kMeans.fit(k)) <= best, "k = " + k + " beats the chosen k");
        }
        assertEquals(4, Arrays.stream(chosen).max().orElseThrow() + 1);
    }

    @Test
    void sameClustersEveryTime() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] points = new double[30][DIMENSIONS];   // no structure: only the seed makes the result repeat
        for (double[] p : points) {
            Arrays.setAll(p, i -> random.nextGaussian());
        }
        int[] first = new SphericalKMeans(points).fit(5);
        assertArrayEquals(first, new SphericalKMeans(points).fit(5));
        assertArrayEquals(new SphericalKMeans(points).fitBestK(8), new SphericalKMeans(points).fitBestK(8));
        assertEquals(0, first[0], "clusters are numbered in order of their first point");
    }

    @Test
    void duplicatePointsShareTheirCluster() {
        double[][] points = {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 2, 0}, {0, 0, 1}, {0, 0, 3}};
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, new SphericalKMeans(points).fit(3));
    }

    /** {@code groups} random directions; PER_GROUP points each, within ≈ 0.1 rad of it, at lengths in [0.1, 10). */
    private static double[][] planted(int groups, SplittableRandom random) {
        double[][] points = new double[groups * PER_GROUP][DIMENSIONS];
        for (int g = 0; g < groups; g++) {
            double[] direction = new double[DIMENSIONS];
            Arrays.setAll(direction, i -> random.nextGaussian());
            double norm = Math.sqrt(Arrays.stream(direction).map(x -> x * x).sum());
            for (int p = 0; p < PER_GROUP; p++) {
                double length = 0.1 + 9.9 * random.nextDouble();
                double[] point = points[g * PER_GROUP + p];
                Arrays.setAll(point, i -> length * (direction[i] / norm + 0.03 * random.nextGaussian()));
            }
        }
        return points;
    }

    private static double[][] cosines(double[][] points) {
        int n = points.length;
        double[][] cosines = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double dot = 0;
                double aa = 0;
                double bb = 0;
                for (int i = 0; i < points[a].length; i++) {
                    dot += points[a][i] * points[b][i];
                    aa += points[a][i] * points[a][i];
                    bb += points[b][i] * points[b][i];
                }
                cosines[a][b] = dot / Math.sqrt(aa * bb);
            }
        }
        return cosines;
    }
}
