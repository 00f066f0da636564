package org.travelingwords.geometry;

/** The residual-stream sites of a block where the sphere statistics are taken (DESIGN §4). */
public enum Site {
    RESID_PRE("resid_pre", "hook_resid_pre"),
    RESID_MID("resid_mid", "hook_resid_mid"),
    RESID_POST("resid_post", "hook_resid_post");

    private final String label;
    private final String hookSuffix;

    Site(String label, String hookSuffix) {
        this.label = label;
        this.hookSuffix = hookSuffix;
    }

    /** The value written in the tables' {@code site} column. */
    public String label() {
        return label;
    }

    public String hookSuffix() {
        return hookSuffix;
    }
}
