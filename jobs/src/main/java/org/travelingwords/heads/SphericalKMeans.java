package org.travelingwords.heads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.Clusterable;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.DistanceMeasure;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spherical k-means in process (Commons Math's k-means++ with a fixed seed): the points are scaled
 * to unit length and compared by the cosine distance 1 − cos. A centroid is the mean of its unit
 * points, whose direction is the normalized mean of spherical k-means, and the cosine to it does not
 * depend on its length, so this is the cosine KMeans of MLlib in meaning, without a Spark job per
 * iteration. The same points give the same clusters every time.
 */
final class SphericalKMeans {

    private static final Logger LOG = LoggerFactory.getLogger(SphericalKMeans.class);
    private static final int SEED = 20230915;
    /** Lloyd iterations at most; a few hundred points settle in far fewer. */
    private static final int MAX_ITERATIONS = 100;
    private static final DistanceMeasure COSINE = (x, y) -> 1 - dot(x, y) / Math.sqrt(dot(x, x) * dot(y, y));

    private final double[][] units;
    private final double[][] cosines;

    SphericalKMeans(double[][] points) {
        units = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            double norm = Math.sqrt(dot(points[i], points[i]));
            units[i] = Arrays.stream(points[i]).map(x -> x / norm).toArray();
        }
        cosines = new double[points.length][points.length];
        for (int a = 0; a < points.length; a++) {
            for (int b = 0; b < points.length; b++) {
                cosines[a][b] = dot(units[a], units[b]);
            }
        }
    }

    /** Each point's cluster for k clusters (k ≤ the number of points), numbered in order of their first point. */
    int[] fit(int k) {
        KMeansPlusPlusClusterer<Indexed> clusterer = new KMeansPlusPlusClusterer<>(k, MAX_ITERATIONS, COSINE,
                new JDKRandomGenerator(SEED));
        List<Indexed> points = new ArrayList<>();
        for (int i = 0; i < units.length; i++) {
            points.add(new Indexed(i, units[i]));
        }
        int[] clusterOf = new int[units.length];
        List<CentroidCluster<Indexed>> clusters = clusterer.cluster(points);
        for (int c = 0; c < clusters.size(); c++) {
            for (Indexed point : clusters.get(c).getPoints()) {
                clusterOf[point.index()] = c;
            }
        }
        return renumbered(clusterOf);
    }

    /**
     * The clusters of the k in [2, min(maxK, n − 1)] with the best mean {@link Silhouette} (ties to the
     * smaller k); a fit that left fewer than two clusters scores −∞. Needs at least three points.
     */
    int[] fitBestK(int maxK) {
        int[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int k = 2; k <= Math.min(maxK, units.length - 1); k++) {
            int[] clusterOf = fit(k);
            double score = Arrays.stream(clusterOf).max().orElse(0) < 1 ? Double.NEGATIVE_INFINITY
                    : Silhouette.mean(cosines, clusterOf);
            LOG.info("head clusters: k = {}, silhouette {}", k, score);
            if (best == null || score > bestScore) {
                best = clusterOf;
                bestScore = score;
            }
        }
        LOG.info("head clusters: k = {} chosen (silhouette {})", Arrays.stream(best).max().orElse(0) + 1, bestScore);
        return best;
    }

    /** Cluster ids 0, 1, … in order of each cluster's first point, without gaps from empty clusters. */
    private static int[] renumbered(int[] clusterOf) {
        int[] newId = new int[Arrays.stream(clusterOf).max().orElse(0) + 1];
        Arrays.fill(newId, -1);
        int next = 0;
        int[] out = new int[clusterOf.length];
        for (int i = 0; i < clusterOf.length; i++) {
            if (newId[clusterOf[i]] < 0) {
                newId[clusterOf[i]] = next++;
            }
            out[i] = newId[clusterOf[i]];
        }
        return out;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** A point that remembers its row, so that duplicates stay apart (Commons Math's DoublePoint compares values). */
    private record Indexed(int index, double[] coordinates) implements Clusterable {
        @Override
        public double[] getPoint() {
            return coordinates;
        }
    }
}
