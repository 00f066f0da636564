package org.travelingwords.geometry;

import java.util.EnumSet;
import java.util.Set;

/** The per-token metrics of DESIGN §4, each with the sites where it is defined. */
public enum SphereMetric {
    NORM("norm", EnumSet.allOf(Site.class)),
    COORD_MEAN("coord_mean", EnumSet.allOf(Site.class)),
    ONES_COS("ones_cos", EnumSet.allOf(Site.class)),
    SCALE("scale", EnumSet.allOf(Site.class)),
    RADIUS_ERROR("radius_error", EnumSet.allOf(Site.class)),
    STEP_ANGLE("step_angle", EnumSet.of(Site.RESID_MID, Site.RESID_POST)),
    LAYER_ANGLE("layer_angle", EnumSet.of(Site.RESID_POST)),
    EMBED_ANGLE("embed_angle", EnumSet.allOf(Site.class)),
    NEXT_COS("next_cos", EnumSet.of(Site.RESID_POST)),
    LOG_RATIO("log_ratio", EnumSet.of(Site.RESID_POST)),
    NEXT_LOGPROB("next_logprob", EnumSet.of(Site.RESID_POST)),
    NEXT_RANK("next_rank", EnumSet.of(Site.RESID_POST)),
    LENS_ENTROPY("lens_entropy", EnumSet.of(Site.RESID_POST));

    private final String label;
    private final Set<Site> sites;

    SphereMetric(String label, Set<Site> sites) {
        this.label = label;
        this.sites = sites;
    }

    /** The value written in the tables' {@code metric} column. */
    public String label() {
        return label;
    }

    public boolean definedAt(Site site) {
        return sites.contains(site);
    }

    /** Needs the next token: undefined at the last position of a window. */
    public boolean needsNextToken() {
        return this == NEXT_COS || this == LOG_RATIO || this == NEXT_LOGPROB || this == NEXT_RANK;
    }

    /** Needs the full logit lens over the vocabulary ({@code --logit-lens full}). */
    public boolean needsFullLens() {
        return this == NEXT_LOGPROB || this == NEXT_RANK || this == LENS_ENTROPY;
    }
}
