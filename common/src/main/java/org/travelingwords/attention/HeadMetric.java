package org.travelingwords.attention;

/** The per-query metrics of an attention head (DESIGN §5), defined at query positions t ≥ 1. */
public enum HeadMetric {
    /** −Σ_{k≤t} p_k ln p_k, in nats. */
    ENTROPY("entropy"),
    /** p_0, the weight on the first token. */
    SINK("sink"),
    /** p_t, the weight on the query itself. */
    SELF("self"),
    /** p_{t−1}, the weight on the previous token. */
    PREV("prev"),
    /** Σ_k p_k (t − k), how far back the head looks on average. */
    DISTANCE("distance"),
    /** ‖result_h(t)‖. */
    RESULT_NORM("result_norm"),
    /** cos(result_h(t), resid_pre(l)(t)); undefined (NaN) where either vector is zero. */
    RESULT_COS("result_cos");

    private final String label;

    HeadMetric(String label) {
        this.label = label;
    }

    /** The value written in the tables' {@code metric} column. */
    public String label() {
        return label;
    }
}
