package org.travelingwords.sphere;

import java.io.Serializable;

/**
 * The options of the sphere analysis (DESIGN §4).
 *
 * @param sampleRate    share of tokens written, with every metric, to token_samples
 * @param fullLogitLens also the logit lens over the whole vocabulary: next_logprob, next_rank, lens_entropy
 */
public record SphereOptions(double sampleRate, boolean fullLogitLens) implements Serializable {

    public static final SphereOptions DEFAULTS = new SphereOptions(0.001, false);

    public SphereOptions {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("--sample-rate must be in [0, 1], got " + sampleRate);
        }
    }
}
