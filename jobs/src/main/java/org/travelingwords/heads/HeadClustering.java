package org.travelingwords.heads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clusters heads by what they write (DESIGN §5): the cosine similarity of their standardized
 * mean-view score vectors z (V dimensions), with Spark MLlib's KMeans (cosine distance, fixed seed).
 * The vectors enter as {@link GramCoordinates} of their cosine matrix: n-dimensional points with the
 * same inner products, so KMeans, MLlib's silhouette and ours are those of the z vectors, without
 * moving n × V numbers. Unless --clusters fixes k, k runs over [2, min(--max-clusters, n − 1)] and the
 * best silhouette (MLlib's ClusteringEvaluator, cosine) wins; ties go to the smaller k.
 *
 * <p>Each head's own silhouette, with d(i, j) = 1 − cos(z_i, z_j): a = the mean distance to the
 * other heads of its cluster, b = the smallest mean distance to the heads of another cluster,
 * s = (b − a)/max(a, b), and 0 in a cluster of one. A cluster's label is the top tokens of its
 * centroid direction Σ_C z_h/‖z_h‖, ranked on the executor from the heads' unit writes.
 */
public final class HeadClustering {

    /** A head's cluster; cluster, silhouette, size and label are null for a head without direction. */
    public record Assignment(int layer, int head, Integer cluster, Double silhouette, Integer clusterSize,
                             List<String> label) {}

    private static final Logger LOG = LoggerFactory.getLogger(HeadClustering.class);
    /** Tokens in a cluster's label. */
    private static final int LABEL_TOKENS = 10;
    private static final long SEED = 20230915L;
    /** Driver threads fitting the candidate k at once. */
    private static final int FIT_THREADS = 4;
    private static final String FEATURES = "features";
    private static final String CLUSTER = "cluster";
    private static final StructType POINTS = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add(FEATURES, SQLDataTypes.VectorType(), false);

    private final SparkSession spark;
    private final HeadsOptions options;
    private final MeanViewScoring scoring;

    public HeadClustering(SparkSession spark, HeadsOptions options, MeanViewScoring scoring) {
        this.spark = spark;
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
                assignments.add(new Assignment(head[0], head[1], c, n < 3 ? null : silhouette(cosines, clusterOf, a),
                        sizes[c], Arrays.stream(labels[c]).mapToObj(TokenText::of).toList()));
                a++;
            } else {
                assignments.add(new Assignment(head[0], head[1], null, null, null, null));
            }
        }
        return assignments;
    }

    /** MLlib KMeans on the points, k fixed or chosen by the silhouette; each point's cluster. */
    private int[] clusters(double[][] points) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            rows.add(RowFactory.create(i, Vectors.dense(points[i])));
        }
        Dataset<Row> data = spark.createDataFrame(rows, POINTS).coalesce(1).cache();
        try {
            KMeansModel model = options.clusters() > 0 ? fit(data, Math.min(options.clusters(), points.length))
                    : bestModel(data, points.length);
            int[] clusterOf = new int[points.length];
            for (Row row : model.transform(data).select("index", CLUSTER).collectAsList()) {
                clusterOf[row.getInt(0)] = row.getInt(1);
            }
            return renumbered(clusterOf);
        } finally {
            data.unpersist();
        }
    }

    /**
     * Fits every k at once from a few driver threads (each fit is many tiny Spark jobs, so their
     * scheduling overlaps); the best silhouette wins, ties to the smaller k, whatever finished first.
     */
    private KMeansModel bestModel(Dataset<Row> data, int n) {
        ClusteringEvaluator evaluator = new ClusteringEvaluator().setFeaturesCol(FEATURES).setPredictionCol(CLUSTER)
                .setDistanceMeasure("cosine").setMetricName("silhouette");
        List<Integer> ks = IntStream.rangeClosed(2, Math.min(options.maxClusters(), n - 1)).boxed().toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(FIT_THREADS, ks.size()));
        try {
            List<Future<Scored>> fits = new ArrayList<>();
            for (int k : ks) {
                fits.add(pool.submit(() -> {
                    KMeansModel model = fit(data, k);
                    long nonEmpty = Arrays.stream(model.summary().clusterSizes()).filter(size -> size > 0).count();
                    return new Scored(model, nonEmpty < 2 ? Double.NEGATIVE_INFINITY : evaluator.evaluate(model.transform(data)));
                }));
            }
            Scored best = null;
            for (Future<Scored> fit : fits) {
                Scored scored = fit.get();
                LOG.info("head clusters: k = {}, silhouette {}", scored.model().getK(), scored.silhouette());
                if (best == null || scored.silhouette() > best.silhouette()) {
                    best = scored;
                }
            }
            LOG.info("head clusters: k = {} chosen (silhouette {})", best.model().getK(), best.silhouette());
            return best.model();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while clustering heads", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** A fitted k and its silhouette. */
    private record Scored(KMeansModel model, double silhouette) {}

    private static KMeansModel fit(Dataset<Row> data, int k) {
        return new KMeans().setK(k).setSeed(SEED).setDistanceMeasure("cosine").setFeaturesCol(FEATURES)
                .setPredictionCol(CLUSTER).fit(data);
    }

    /** Cluster ids 0, 1, … in order of each cluster's first head, without gaps from empty clusters. */
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

    /** Head a's silhouette (formula in the class comment). */
    private static double silhouette(double[][] cosines, int[] clusterOf, int a) {
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
}
