package org.travelingwords.heads;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.attention.HeadAggregates;
import org.travelingwords.attention.HeavyHitter;
import org.travelingwords.attention.TokenPair;
import org.travelingwords.catalog.SummaryRow;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.stats.MetricSummary;
import org.travelingwords.stats.StatKey;
import org.travelingwords.text.TokenText;

/** Turns the merged head aggregates, the mean view and the clusters into the rows of the head tables (DESIGN §5, §7). */
public final class HeadTables {

    public static final String MEAN_VIEW = "mean";
    public static final String PROMOTED_VIEW = "promoted";

    private final SparkSession spark;
    private final String runId;
    private final String modelId;

    public HeadTables(SparkSession spark, String runId, String modelId) {
        this.spark = spark;
        this.runId = runId;
        this.modelId = modelId;
    }

    /** head_stats: the same aggregate columns as sphere_stats, keyed by head instead of site. */
    public Dataset<Row> headStats(HeadAggregates heads) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<StatKey, MetricSummary> e : heads.stats().entries().entrySet()) {
            StatKey key = e.getKey();
            rows.add(SummaryRow.of(e.getValue(), runId, modelId, key.layer(), HeadAggregates.headOf(key), key.metric(),
                    key.bucket()));
        }
        return frame(TableSchemas.HEAD_STATS, rows);
    }

    /** qk_pairs: each head's {@code top} pairs, with the count and mass sketches' estimates and bounds. */
    public Dataset<Row> qkPairs(HeadAggregates heads, int top) {
        List<Row> rows = new ArrayList<>();
        for (int l = 0; l < heads.layers(); l++) {
            for (int h = 0; h < heads.heads(); h++) {
                int rank = 0;
                for (HeavyHitter count : heads.topPairs(l, h, top)) {
                    TokenPair pair = TokenPair.decode(count.item());
                    HeavyHitter mass = heads.massOf(l, h, count.item());
                    double attentionMass = mass.estimate() / HeadAggregates.MASS_UNITS;
                    rows.add(RowFactory.create(runId, modelId, l, h, rank++, pair.query(), TokenText.of(pair.query()),
                            pair.key(), TokenText.of(pair.key()), count.estimate(), count.lowerBound(),
                            count.upperBound(), attentionMass, mass.lowerBound() / HeadAggregates.MASS_UNITS,
                            mass.upperBound() / HeadAggregates.MASS_UNITS,
                            count.estimate() > 0 ? attentionMass / count.estimate() : null));
                }
            }
        }
        return frame(TableSchemas.QK_PAIRS, rows);
    }

    /**
     * head_subjects: the mean view's top tokens with their scores, and the promoted view's {@code top}
     * tokens per head, scored by their estimated count.
     */
    public Dataset<Row> headSubjects(HeadAggregates heads, MeanViewScoring.ScoredHeads meanView, int top) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < meanView.heads().size(); i++) {
            int[] head = meanView.heads().get(i);
            int[] tokens = meanView.view().topTokens()[i];
            for (int rank = 0; rank < tokens.length; rank++) {
                rows.add(RowFactory.create(runId, modelId, head[0], head[1], MEAN_VIEW, rank, tokens[rank],
                        TokenText.of(tokens[rank]), (double) meanView.view().topScores()[i][rank]));
            }
        }
        for (int l = 0; l < heads.layers(); l++) {
            for (int h = 0; h < heads.heads(); h++) {
                int rank = 0;
                for (HeavyHitter token : heads.topPromoted(l, h, top)) {
                    rows.add(RowFactory.create(runId, modelId, l, h, PROMOTED_VIEW, rank++, (int) token.item(),
                            TokenText.of((int) token.item()), (double) token.estimate()));
                }
            }
        }
        return frame(TableSchemas.HEAD_SUBJECTS, rows);
    }

    public Dataset<Row> headClusters(List<HeadClustering.Assignment> assignments) {
        List<Row> rows = new ArrayList<>();
        for (HeadClustering.Assignment a : assignments) {
            rows.add(RowFactory.create(runId, modelId, a.layer(), a.head(), a.cluster(), a.silhouette(),
                    a.clusterSize(), a.label() == null ? null : a.label().toArray(String[]::new)));
        }
        return frame(TableSchemas.HEAD_CLUSTERS, rows);
    }

    /** A table with no rows, for a run without any usable window. */
    public Dataset<Row> empty(String table) {
        return frame(table, List.of());
    }

    private Dataset<Row> frame(String table, List<Row> rows) {
        return spark.createDataFrame(rows, TableSchemas.producerSchema(table));
    }
}
