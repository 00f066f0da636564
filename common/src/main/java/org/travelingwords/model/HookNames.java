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

    // Per-block hook suffixes (DESIGN §3); the full name is blocks.{l}.<suffix>, see block().
    public static final String RESID_PRE = "hook_resid_pre";
    public static final String LN1_SCALE = "ln1.hook_scale";
    public static final String LN1_NORMALIZED = "ln1.hook_normalized";
    public static final String ATTN_Q = "attn.hook_q";
    public static final String ATTN_K = "attn.hook_k";
    public static final String ATTN_V = "attn.hook_v";
    public static final String ATTN_SCORES = "attn.hook_attn_scores";
    public static final String ATTN_PATTERN = "attn.hook_pattern";
    public static final String ATTN_Z = "attn.hook_z";
    public static final String ATTN_RESULT = "attn.hook_result";
    public static final String ATTN_OUT = "hook_attn_out";
    public static final String RESID_MID = "hook_resid_mid";
    public static final String LN2_SCALE = "ln2.hook_scale";
    public static final String LN2_NORMALIZED = "ln2.hook_normalized";
    public static final String MLP_PRE = "mlp.hook_pre";
    public static final String MLP_POST = "mlp.hook_post";
    public static final String MLP_OUT = "hook_mlp_out";
    public static final String RESID_POST = "hook_resid_post";

    /** Per-block hook suffixes, in the order a forward produces them. */
    public static final List<String> BLOCK_HOOKS = List.of(
            RESID_PRE, LN1_SCALE, LN1_NORMALIZED, ATTN_Q, ATTN_K, ATTN_V, ATTN_SCORES, ATTN_PATTERN, ATTN_Z,
            ATTN_RESULT, ATTN_OUT, RESID_MID, LN2_SCALE, LN2_NORMALIZED, MLP_PRE, MLP_POST, MLP_OUT, RESID_POST);

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

    /** Whether {@code name} is the hook {@code suffix} of some block. */
    public static boolean isBlockHook(String name, String suffix) {
        return name.startsWith("blocks.") && name.endsWith("." + suffix);
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
