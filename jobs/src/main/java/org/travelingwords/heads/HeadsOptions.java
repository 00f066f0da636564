package org.travelingwords.heads;

import java.io.Serializable;
import org.travelingwords.attention.HeadAggregates;

/**
 * The options of the heads analysis (DESIGN §5).
 *
 * @param qkTop              (query, key) pairs kept per head in qk_pairs
 * @param subjectTop         tokens per head and view in head_subjects
 * @param promotedSampleRate share of query tokens (t ≥ 1) scored on the vocabulary for the promoted view
 * @param maxClusters        the largest k tried when k is chosen by the silhouette
 * @param clusters           a fixed k, or 0 to choose k in [2, maxClusters] by the silhouette
 */
public record HeadsOptions(int qkTop, int subjectTop, double promotedSampleRate, int maxClusters, int clusters)
        implements Serializable {

    /**
     * 1/256: the promoted view's accuracy depends on how many queries are sampled, not on which share
     * (a million tokens still give ≈ 4,000 per head), and scoring them is the costliest part of heads.
     * A string, for the CLI options' defaults.
     */
    public static final String DEFAULT_PROMOTED_SAMPLE_RATE = "0.00390625";

    public static final HeadsOptions DEFAULTS = new HeadsOptions(100, 20, Double.parseDouble(DEFAULT_PROMOTED_SAMPLE_RATE),
            12, 0);

    public HeadsOptions {
        if (qkTop < 1 || subjectTop < 1) {
            throw new IllegalArgumentException("--qk-top and --subject-top must be positive: " + qkTop + ", " + subjectTop);
        }
        if (!(promotedSampleRate >= 0 && promotedSampleRate <= 1)) {
            throw new IllegalArgumentException("--promoted-sample-rate must be in [0, 1], got " + promotedSampleRate);
        }
        if (maxClusters < 2 || (clusters != 0 && clusters < 2)) {
            throw new IllegalArgumentException("--max-clusters must be at least 2 and --clusters 0 (choose) or at least 2: "
                    + maxClusters + ", " + clusters);
        }
    }

    /** The frequent-items sketch size that keeps both top lists well inside the sketch. */
    public int sketchSize() {
        return HeadAggregates.sketchSizeFor(Math.max(qkTop, subjectTop));
    }
}
