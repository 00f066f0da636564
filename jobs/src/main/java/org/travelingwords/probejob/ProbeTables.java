package org.travelingwords.probejob;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.probes.EmbeddingNorms;
import org.travelingwords.probes.LnDistance;
import org.travelingwords.text.TokenText;

/** The probe results as the rows of the six probe tables (TableSchemas), token text beside every id. */
public final class ProbeTables {

    private final SparkSession spark;
    private final String runId;
    private final String modelId;

    public ProbeTables(SparkSession spark, String runId, String modelId) {
        this.spark = spark;
        this.runId = runId;
        this.modelId = modelId;
    }

    /** Table name → rows, in TableSchemas' order. */
    public Map<String, Dataset<Row>> all(ProbeResults results) {
        Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
        tables.put(TableSchemas.EMBEDDING_NORMS, embeddingNorms(results.norms()));
        tables.put(TableSchemas.EMBEDDING_LN_DISTANCE, lnDistance(results.distances()));
        tables.put(TableSchemas.PROBE_QK, frame(TableSchemas.PROBE_QK, results.qk().stream().map(h -> RowFactory.create(
                runId, modelId, h.block(), h.head(), h.queryTokenId(), TokenText.of(h.queryTokenId()), h.rank(),
                h.keyTokenId(), TokenText.of(h.keyTokenId()), h.score())).toList()));
        tables.put(TableSchemas.PROBE_VO, frame(TableSchemas.PROBE_VO, results.vo().stream().map(h -> RowFactory.create(
                runId, modelId, h.block(), h.head(), h.keyTokenId(), TokenText.of(h.keyTokenId()), h.rank(),
                h.valueTokenId(), TokenText.of(h.valueTokenId()), h.score(), h.updateNorm())).toList()));
        tables.put(TableSchemas.HEAD_SVD, frame(TableSchemas.HEAD_SVD, results.svd().stream().map(h -> RowFactory.create(
                runId, modelId, h.block(), h.head(), h.matrix().name(), h.rank(), h.singularValue(),
                h.leftTokenIds(), TokenText.of(h.leftTokenIds()), h.rightTokenIds(), TokenText.of(h.rightTokenIds())))
                .toList()));
        tables.put(TableSchemas.BIAS_PROBE, frame(TableSchemas.BIAS_PROBE, results.bias().stream().map(h -> RowFactory.create(
                runId, modelId, h.block(), h.head(), h.kind().label(), h.sign(), h.rank(), h.tokenId(),
                TokenText.of(h.tokenId()), h.score())).toList()));
        return tables;
    }

    private Dataset<Row> embeddingNorms(EmbeddingNorms norms) {
        Map<EmbeddingNorms.Score, int[]> ranks = norms.ranks();
        double[] normPlusBias = norms.score(EmbeddingNorms.Score.NORM_PLUS_BIAS);
        double[] scaledPlusBias = norms.score(EmbeddingNorms.Score.SCALED_NORM_PLUS_BIAS);
        List<Row> rows = new ArrayList<>(norms.vocabSize());
        for (int t = 0; t < norms.vocabSize(); t++) {
            rows.add(RowFactory.create(runId, modelId, t, TokenText.of(t), norms.norm()[t], norms.scaledNorm()[t],
                    norms.biasScore()[t], normPlusBias[t], scaledPlusBias[t],
                    ranks.get(EmbeddingNorms.Score.NORM)[t], ranks.get(EmbeddingNorms.Score.SCALED_NORM)[t],
                    ranks.get(EmbeddingNorms.Score.NORM_PLUS_BIAS)[t],
                    ranks.get(EmbeddingNorms.Score.SCALED_NORM_PLUS_BIAS)[t]));
        }
        return frame(TableSchemas.EMBEDDING_NORMS, rows);
    }

    private Dataset<Row> lnDistance(List<LnDistance> distances) {
        return frame(TableSchemas.EMBEDDING_LN_DISTANCE, distances.stream().map(d -> RowFactory.create(runId, modelId,
                d.setting().label(), d.l2Mean(), d.l2Std(), d.cosMean(), d.cosStd())).toList());
    }

    private Dataset<Row> frame(String table, List<Row> rows) {
        return spark.createDataFrame(rows, TableSchemas.producerSchema(table));
    }
}
