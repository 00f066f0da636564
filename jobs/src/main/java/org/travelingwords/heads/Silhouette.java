package org.travelingwords.heads;

import java.util.Arrays;

/**
 * Silhouettes under the cosine distance d(i, j) = 1 − cos_ij: for point a, a = the mean distance to
 * the other points of its cluster, b = the smallest mean distance to the points of another cluster,
 * s = (b − a)/max(a, b), and 0 in a cluster of one or when there is no other cluster.
 */
final class Silhouette {

    private Silhouette() {}

    /** Point a's silhouette; {@code clusterOf} numbers clusters 0..k−1. */
    static double of(double[][] cosines, int[] clusterOf, int a) {
        int k = Arrays.stream(clusterOf).max().orElse(0) + 1;
        double[] distance = new double[k];
        int[] count = new int[k];
        for (int b = 0; b < clusterOf.length; b++) {
            if (b != a) {
                distance[clusterOf[b]] += 1 - cosines[a][b];
                count[clusterOf[b]]++;
            }
        }
        int own = clusterOf[a];
        if (count[own] == 0) {
            return 0;
        }
        double within = distance[own] / count[own];
        double nearest = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            if (c != own && count[c] > 0) {
                nearest = Math.min(nearest, distance[c] / count[c]);
            }
        }
        if (nearest == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double scale = Math.max(within, nearest);
        return scale == 0 ? 0 : (nearest - within) / scale;
    }

    /** The mean silhouette of every point: the score that chooses k. */
    static double mean(double[][] cosines, int[] clusterOf) {
        double sum = 0;
        for (int a = 0; a < clusterOf.length; a++) {
            sum += of(cosines, clusterOf, a);
        }
        return sum / clusterOf.length;
    }
}
