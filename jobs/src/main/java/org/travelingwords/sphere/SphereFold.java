package org.travelingwords.sphere;

import java.util.ArrayList;
import java.util.List;
import org.travelingwords.geometry.Site;
import org.travelingwords.geometry.SiteMetrics;
import org.travelingwords.geometry.SphereMetric;
import org.travelingwords.geometry.SphereSink;
import org.travelingwords.model.TokenBatch;
import org.travelingwords.stats.KeyedSummaries;
import org.travelingwords.stats.TokenTravel;

/**
 * Folds each batch's per-token sphere metrics into a partition's aggregates: the keyed
 * summaries of {@code sphere_stats}, the per-token means of {@code token_travel} and the
 * sampled rows of {@code token_samples}.
 */
public final class SphereFold implements SphereSink {

    private static final int METRIC_COUNT = SphereMetric.values().length;

    private final KeyedSummaries summaries = new KeyedSummaries();
    private final TokenTravel travel;
    private final TokenSampler sampler;
    private final List<TokenSample> samples = new ArrayList<>();
    private BatchRows rows;
    private int[] validCells;
    private int[] validPositions;
    private int[] sampledCells;

    public SphereFold(int layers, int vocabSize, TokenSampler sampler) {
        this.travel = new TokenTravel(layers, vocabSize);
        this.sampler = sampler;
    }

    /** Sets the batch the next metrics belong to. */
    public void begin(BatchRows rows) {
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

    @Override
    public void accept(SiteMetrics site) {
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

    private TokenSample sample(SiteMetrics site, int cell) {
        int seqLen = rows.batch().seqLen();
        int b = cell / seqLen;
        float[] metrics = new float[METRIC_COUNT];
        java.util.Arrays.fill(metrics, Float.NaN);
        for (int m = 0; m < site.metrics().size(); m++) {
            metrics[site.metrics().get(m).ordinal()] = site.values()[m][cell];
        }
        return new TokenSample(rows.docIds()[b], rows.windowIdx()[b], cell % seqLen, (int) rows.batch().ids()[cell],
                site.layer(), site.site().label(), metrics);
    }

    public byte[] summariesBytes() {
        return summaries.toBytes();
    }

    public byte[] travelBytes() {
        return travel.toBytes();
    }

    public List<TokenSample> samples() {
        return samples;
    }
}
