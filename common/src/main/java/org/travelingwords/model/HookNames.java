package org.travelingwords.model;

import java.util.ArrayList;
import java.util.List;

/** Hook names in TransformerLens conventions (DESIGN §3). */
public final class HookNames {

    public static final String EMBED = "hook_embed";
    public static final String POS_EMBED = "hook_pos_embed";
    public static final String FINAL_SCALE = "ln_final.hook_scale";
    public static final String FINAL_NORMALIZED = "ln_final.hook_normalized";
    public static final String LOGITS = "logits";

    /** Per-block hook suffixes, in the order a forward produces them. */
    public static final List<String> BLOCK_HOOKS = List.of(
            "hook_resid_pre", "ln1.hook_scale", "ln1.hook_normalized",
            "attn.hook_q", "attn.hook_k", "attn.hook_v", "attn.hook_attn_scores", "attn.hook_pattern",
            "attn.hook_z", "attn.hook_result", "hook_attn_out", "hook_resid_mid",
            "ln2.hook_scale", "ln2.hook_normalized", "mlp.hook_pre", "mlp.hook_post", "hook_mlp_out",
            "hook_resid_post");

    private HookNames() {}

    public static String block(int layer, String suffix) {
        return "blocks." + layer + "." + suffix;
    }

    /** Every hook a model with {@code layers} blocks offers, in forward order. */
    public static List<String> all(int layers) {
        List<String> names = new ArrayList<>();
        names.add(EMBED);
        names.add(POS_EMBED);
        for (int l = 0; l < layers; l++) {
            for (String suffix : BLOCK_HOOKS) {
                names.add(block(l, suffix));
            }
        }
        names.add(FINAL_SCALE);
        names.add(FINAL_NORMALIZED);
        names.add(LOGITS);
        return names;
    }

    /** The block index of a {@code blocks.N.…} name, or -1. */
    public static int layerOf(String name) {
        if (!name.startsWith("blocks.")) {
            return -1;
        }
        int dot = name.indexOf('.', 7);
        return Integer.parseInt(name.substring(7, dot));
    }
}
