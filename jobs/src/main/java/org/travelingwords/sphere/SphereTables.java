package org.travelingwords.sphere;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.SummaryRow;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.stats.KeyedSummaries;
import org.travelingwords.stats.MetricSummary;
import org.travelingwords.stats.StatKey;
import org.travelingwords.stats.TokenTravel;
import org.travelingwords.text.TokenText;

/** Turns the merged sphere aggregates into the rows of sphere_stats, token_travel and token_samples (DESIGN §4, §7). */
public final class SphereTables {

    private final SparkSession spark;
    private final String runId;
    private final String modelId;

    public SphereTables(SparkSession spark, String runId, String modelId) {
        this.spark = spark;
        this.runId = runId;
        this.modelId = modelId;
    }

    /** @param summaries null when no window was usable: an empty table */
    public Dataset<Row> sphereStats(KeyedSummaries summaries) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<StatKey, MetricSummary> e : (summaries == null ? new KeyedSummaries() : summaries).entries().entrySet()) {
            StatKey key = e.getKey();
            rows.add(SummaryRow.of(e.getValue(), runId, modelId, key.layer(), key.site(), key.metric(), key.bucket()));
        }
        return spark.createDataFrame(rows, TableSchemas.producerSchema(TableSchemas.SPHERE_STATS));
    }

    public Dataset<Row> tokenTravel(TokenTravel travel) {
        List<Row> rows = new ArrayList<>();
        if (travel != null) {
            travel.forEachRow((layer, tokenId, count, norm, layerAngle, embedAngle, logRatio) -> rows.add(
                    RowFactory.create(runId, modelId, layer, tokenId, TokenText.of(tokenId), count, norm, layerAngle,
                            embedAngle, Double.isNaN(logRatio) ? null : logRatio)));
        }
        return spark.createDataFrame(rows, TableSchemas.producerSchema(TableSchemas.TOKEN_TRAVEL));
    }

    /** The sampled rows of the folds ({@code SphereFold}), with run_id and model_id put first. */
    public Dataset<Row> tokenSamples(JavaRDD<Row> samples) {
        String run = runId;
        String model = modelId;
        JavaRDD<Row> rows = samples.map(s -> {
            Object[] values = new Object[s.size() + 2];
            values[0] = run;
            values[1] = model;
            for (int i = 0; i < s.size(); i++) {
                values[i + 2] = s.get(i);
            }
            return RowFactory.create(values);
        });
        return spark.createDataFrame(rows, TableSchemas.producerSchema(TableSchemas.TOKEN_SAMPLES));
    }
}
