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
import org.travelingwords.geometry.SphereMetric;
import org.travelingwords.stats.KeyedSummaries;
import org.travelingwords.stats.MetricSummary;
import org.travelingwords.stats.StatKey;
import org.travelingwords.stats.TokenTravel;
import org.travelingwords.text.Gpt2Tokenizer;

/** Turns the merged sphere aggregates into the rows of sphere_stats, token_travel and token_samples (DESIGN §7). */
public final class SphereTables {

    private final SparkSession spark;
    private final String runId;
    private final String modelId;

    public SphereTables(SparkSession spark, String runId, String modelId) {
        this.spark = spark;
        this.runId = runId;
        this.modelId = modelId;
    }

    public Dataset<Row> sphereStats(KeyedSummaries summaries) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<StatKey, MetricSummary> e : summaries.entries().entrySet()) {
            StatKey key = e.getKey();
            rows.add(SummaryRow.of(e.getValue(), runId, modelId, key.layer(), key.site(), key.metric(), key.bucket()));
        }
        return spark.createDataFrame(rows, TableSchemas.dataSchema(TableSchemas.SPHERE_STATS));
    }

    public Dataset<Row> tokenTravel(TokenTravel travel) {
        List<Row> rows = new ArrayList<>();
        if (travel != null) {
            travel.forEachRow((layer, tokenId, count, norm, layerAngle, embedAngle, logRatio) -> rows.add(
                    RowFactory.create(runId, modelId, layer, tokenId, display(tokenId), count, norm, layerAngle,
                            embedAngle, Double.isNaN(logRatio) ? null : logRatio)));
        }
        return spark.createDataFrame(rows, TableSchemas.dataSchema(TableSchemas.TOKEN_TRAVEL));
    }

    public Dataset<Row> tokenSamples(JavaRDD<TokenSample> samples) {
        String run = runId;
        String model = modelId;
        JavaRDD<Row> rows = samples.map(s -> {
            Object[] values = new Object[9 + SphereMetric.values().length];
            int i = 0;
            values[i++] = run;
            values[i++] = model;
            values[i++] = s.docId();
            values[i++] = s.windowIdx();
            values[i++] = s.position();
            values[i++] = s.tokenId();
            values[i++] = display(s.tokenId());
            values[i++] = s.layer();
            values[i++] = s.site();
            for (float v : s.metrics()) {
                values[i++] = Float.isNaN(v) ? null : (double) v;
            }
            return RowFactory.create(values);
        });
        return spark.createDataFrame(rows, TableSchemas.dataSchema(TableSchemas.TOKEN_SAMPLES));
    }

    /** Token text for the tables; ids beyond GPT-2's vocabulary (custom models) show as {@code <id>}. */
    static String display(int tokenId) {
        return tokenId < Gpt2Tokenizer.VOCAB_SIZE ? Gpt2Tokenizer.get().display(tokenId) : "<" + tokenId + ">";
    }
}
