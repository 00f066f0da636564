package org.travelingwords.sphere;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.travelingwords.analysis.BatchAnalysis;
import org.travelingwords.geometry.Site;
import org.travelingwords.geometry.SiteMetrics;
import org.travelingwords.geometry.SphereAnalysis;
import org.travelingwords.geometry.SphereMetric;
import org.travelingwords.model.TokenBatch;
import org.travelingwords.pass.BatchRows;
import org.travelingwords.pass.CorpusAnalysis;
import org.travelingwords.pass.TokenSampler;
import org.travelingwords.stats.KeyedSummaries;
import org.travelingwords.stats.TokenTravel;
import org.travelingwords.text.TokenText;

/**
 * The sphere analysis on one partition: its share of each batch's forward, then the batch's
 * per-token metrics folded into the keyed summaries of {@code sphere_stats}, the per-token means of
 * {@code token_travel} and the sampled rows of {@code token_samples}.
 */
final class SphereFold implements CorpusAnalysis.PartitionFold {

    private static final int METRIC_COUNT = SphereMetric.values().length;
    /** doc_id, window_idx, position, token_id, token, layer, site: the token_samples columns before the metrics. */
    private static final int SAMPLE_KEY_COLUMNS = 7;

    private final SphereAnalysis analysis;
    private final List<SiteMetrics> batchMetrics = new ArrayList<>();
    private final KeyedSummaries summaries = new KeyedSummaries();
    private final TokenTravel travel;
    private final TokenSampler sampler;
    private final List<Row> samples = new ArrayList<>();
    private BatchRows rows;
    private int[] validCells;
    private int[] validPositions;
    private int[] sampledCells;

    SphereFold(SphereAnalysis analysis, int layers, int vocabSize, TokenSampler sampler) {
        this.analysis = analysis;
        this.travel = new TokenTravel(layers, vocabSize);
        this.sampler = sampler;
    }

    @Override
    public BatchAnalysis beforeForward(BatchRows rows) {
        batchMetrics.clear();
        return analysis.into(batchMetrics::add);
    }

    @Override
    public void afterForward(BatchRows rows) {
        begin(rows);
        batchMetrics.forEach(this::accept);
        batchMetrics.clear();
    }

    /** Sets the batch the next metrics belong to. */
    private void begin(BatchRows rows) {
        this.rows = rows;
        TokenBatch batch = rows.batch();
        int n = batch.realTokens();
        validCells = new int[n];
        validPositions = new int[n];
        List<Integer> sampled = new ArrayList<>();
        int i = 0;
        for (int b = 0; b < batch.batchSize(); b++) {
            for (int t = 0; t < batch.lengths()[b]; t++) {
                int cell = b * batch.seqLen() + t;
                validCells[i] = cell;
                validPositions[i++] = t;
                if (sampler.sampled(rows.docIds()[b], rows.windowIdx()[b], t)) {
                    sampled.add(cell);
                }
            }
        }
        sampledCells = sampled.stream().mapToInt(Integer::intValue).toArray();
    }

    private void accept(SiteMetrics site) {
        float[] compact = new float[validCells.length];
        for (int m = 0; m < site.metrics().size(); m++) {
            float[] values = site.values()[m];
            for (int i = 0; i < validCells.length; i++) {
                compact[i] = values[validCells[i]];
            }
            summaries.update(site.layer(), site.site().label(), site.metrics().get(m).label(),
                    compact, validPositions, compact.length);
        }
        if (site.site() == Site.RESID_POST) {
            foldTravel(site);
        }
        for (int cell : sampledCells) {
            samples.add(sample(site, cell));
        }
    }

    private void foldTravel(SiteMetrics site) {
        float[] norm = site.valuesOf(SphereMetric.NORM);
        float[] layerAngle = site.valuesOf(SphereMetric.LAYER_ANGLE);
        float[] embedAngle = site.valuesOf(SphereMetric.EMBED_ANGLE);
        float[] logRatio = site.valuesOf(SphereMetric.LOG_RATIO);
        long[] ids = rows.batch().ids();
        for (int cell : validCells) {
            travel.update(site.layer(), (int) ids[cell], norm[cell], layerAngle[cell], embedAngle[cell], logRatio[cell]);
        }
    }

    /** A token_samples row without run_id and model_id: the token, its place, and every metric (null where undefined). */
    private Row sample(SiteMetrics site, int cell) {
        int seqLen = rows.batch().seqLen();
        int b = cell / seqLen;
        int tokenId = (int) rows.batch().ids()[cell];
        Object[] values = new Object[SAMPLE_KEY_COLUMNS + METRIC_COUNT];
        int i = 0;
        values[i++] = rows.docIds()[b];
        values[i++] = rows.windowIdx()[b];
        values[i++] = cell % seqLen;
        values[i++] = tokenId;
        values[i++] = TokenText.of(tokenId);
        values[i++] = site.layer();
        values[i] = site.site().label();
        for (int m = 0; m < site.metrics().size(); m++) {
            float v = site.values()[m][cell];
            values[SAMPLE_KEY_COLUMNS + site.metrics().get(m).ordinal()] = Float.isNaN(v) ? null : (double) v;
        }
        return RowFactory.create(values);
    }

    @Override
    public byte[] partial() {
        return new SpherePartial(summaries, travel).toBytes();
    }

    @Override
    public List<Row> rows() {
        return samples;
    }
}
