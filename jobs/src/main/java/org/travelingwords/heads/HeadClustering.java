package org.travelingwords.heads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.travelingwords.text.TokenText;

/**
 * Clusters heads by what they write (DESIGN §5): the cosine similarity of their standardized
 * mean-view score vectors z (V dimensions), with {@link SphericalKMeans} on the driver (cosine
 * geometry, fixed seed). The vectors enter as {@link GramCoordinates} of their cosine matrix:
 * n-dimensional points with the same inner products, so the clustering and the silhouettes are those
 * of the z vectors, without moving n × V numbers. Unless --clusters fixes k, k runs over
 * [2, min(--max-clusters, n − 1)] and the best mean silhouette wins; ties go to the smaller k.
 *
 * <p>Each head's silhouette is {@link Silhouette#of} with d(i, j) = 1 − cos(z_i, z_j). A cluster's
 * label is the top tokens of its centroid direction Σ_C z_h/‖z_h‖, ranked on the executor from the
 * heads' unit writes.
 */
public final class HeadClustering {

    /** A head's cluster; cluster, silhouette, size and label are null for a head without direction. */
    public record Assignment(int layer, int head, Integer cluster, Double silhouette, Integer clusterSize,
                             List<String> label) {}

    /** Tokens in a cluster's label. */
    private static final int LABEL_TOKENS = 10;

    private final HeadsOptions options;
    private final MeanViewScoring scoring;

    public HeadClustering(HeadsOptions options, MeanViewScoring scoring) {
        this.options = options;
        this.scoring = scoring;
    }

    /** Every scored head, in the order of {@code scored}. */
    public List<Assignment> cluster(MeanViewScoring.ScoredHeads scored) {
        List<Integer> members = new ArrayList<>();
        for (int i = 0; i < scored.heads().size(); i++) {
            if (scored.view().directional()[i]) {
                members.add(i);
            }
        }
        int n = members.size();
        double[][] cosines = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                cosines[a][b] = scored.view().cosines()[members.get(a)][members.get(b)];
            }
        }
        int[] clusterOf = n < 3 ? new int[n] : clusters(GramCoordinates.of(cosines));
        int k = Arrays.stream(clusterOf).max().orElse(-1) + 1;
        int[] sizes = new int[k];
        double[][] directions = new double[k][n == 0 ? 0 : scored.view().unitWrites()[members.get(0)].length];
        for (int a = 0; a < n; a++) {
            sizes[clusterOf[a]]++;
            double[] unit = scored.view().unitWrites()[members.get(a)];
            for (int i = 0; i < unit.length; i++) {
                directions[clusterOf[a]][i] += unit[i];
            }
        }
        int[][] labels = k == 0 ? new int[0][] : scoring.topTokens(Arrays.asList(directions), LABEL_TOKENS);

        List<Assignment> assignments = new ArrayList<>();
        for (int i = 0, a = 0; i < scored.heads().size(); i++) {
            int[] head = scored.heads().get(i);
            if (a < n && members.get(a) == i) {
                int c = clusterOf[a];
                assignments.add(new Assignment(head[0], head[1], c, n < 3 ? null : Silhouette.of(cosines, clusterOf, a),
                        sizes[c], Arrays.stream(labels[c]).mapToObj(TokenText::of).toList()));
                a++;
            } else {
                assignments.add(new Assignment(head[0], head[1], null, null, null, null));
            }
        }
        return assignments;
    }

    /** Each point's cluster, k fixed or chosen by the silhouette. */
    private int[] clusters(double[][] points) {
        SphericalKMeans kMeans = new SphericalKMeans(points);
        return options.clusters() > 0 ? kMeans.fit(Math.min(options.clusters(), points.length))
                : kMeans.fitBestK(options.maxClusters());
    }
}
