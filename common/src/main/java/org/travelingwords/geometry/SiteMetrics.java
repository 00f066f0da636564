package org.travelingwords.geometry;

import java.util.List;
import org.travelingwords.model.TokenBatch;

/**
 * The metrics of one (layer, site) for one batch, on the host: {@code values[i]} holds metric
 * {@code metrics.get(i)} for every batch cell b·T + t. Padding cells, and next-token metrics at a
 * row's last token, are NaN.
 */
public record SiteMetrics(int layer, Site site, List<SphereMetric> metrics, float[][] values, TokenBatch batch) {

    public float[] valuesOf(SphereMetric metric) {
        int i = metrics.indexOf(metric);
        return i < 0 ? null : values[i];
    }
}
