package org.travelingwords.geometry;

import java.util.EnumSet;
import java.util.Set;

/**
 * The per-token metrics of DESIGN §4 at a residual site x (resid_pre, resid_mid or resid_post of a
 * block), each with the sites where it is defined. x̂ = (x − μ)/σ is LayerNorm's point on the sphere
 * ({@link org.travelingwords.model.LayerNormStats}); ∠(a, b) between unit vectors is 2·asin(‖â − b̂‖/2),
 * in radians (stable near 0, where arccos is not in float32); LNf includes γ_f and β_f.
 */
public enum SphereMetric {
    /** ‖x‖₂. */
    NORM("norm", EnumSet.allOf(Site.class)),
    /** μ(x), the mean coordinate: what LayerNorm subtracts. */
    COORD_MEAN("coord_mean", EnumSet.allOf(Site.class)),
    /** μ(x)·sqrt(D)/‖x‖, the cosine between x and the all-ones direction LayerNorm removes. */
    ONES_COS("ones_cos", EnumSet.allOf(Site.class)),
    /** σ(x) = sqrt(mean (x − μ)² + ε), LayerNorm's divisor. */
    SCALE("scale", EnumSet.allOf(Site.class)),
    /** ‖x̂‖ − sqrt(D): the sphere claim, ≈ 0. */
    RADIUS_ERROR("radius_error", EnumSet.allOf(Site.class)),
    /** At resid_mid ∠(x̂_pre, x̂_mid), attention's move; at resid_post ∠(x̂_mid, x̂_post), the MLP's move. */
    STEP_ANGLE("step_angle", EnumSet.of(Site.RESID_MID, Site.RESID_POST)),
    /** ∠(x̂_pre(l), x̂_post(l)), the whole block's move. */
    LAYER_ANGLE("layer_angle", EnumSet.of(Site.RESID_POST)),
    /** ∠(x̂, x̂ of resid_pre(0)), the distance travelled from the embedding (0 at resid_pre(0)). */
    EMBED_ANGLE("embed_angle", EnumSet.allOf(Site.class)),
    /** cos(LNf(x), E[w_{t+1}]), t < T − 1. */
    NEXT_COS("next_cos", EnumSet.of(Site.RESID_POST)),
    /** LNf(x)·(E[w_{t+1}] − E[w_t]) = log p(w_{t+1}) − log p(w_t) under the logit lens, t < T − 1. */
    LOG_RATIO("log_ratio", EnumSet.of(Site.RESID_POST)),
    /** log-softmax(LNf(x)·Eᵀ) at w_{t+1} ({@code --logit-lens full}), t < T − 1. */
    NEXT_LOGPROB("next_logprob", EnumSet.of(Site.RESID_POST)),
    /** The 0-based rank of w_{t+1} in LNf(x)·Eᵀ: how many tokens score strictly higher ({@code --logit-lens full}). */
    NEXT_RANK("next_rank", EnumSet.of(Site.RESID_POST)),
    /** −Σ_v p_v ln p_v of softmax(LNf(x)·Eᵀ), in nats ({@code --logit-lens full}). */
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
