package org.travelingwords.geometry;

import org.travelingwords.model.HookNames;

/** The residual-stream sites of a block where the sphere statistics are taken (DESIGN §4). */
public enum Site {
    RESID_PRE("resid_pre", HookNames.RESID_PRE),
    RESID_MID("resid_mid", HookNames.RESID_MID),
    RESID_POST("resid_post", HookNames.RESID_POST);

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
