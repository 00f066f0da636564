package org.travelingwords.model;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which hooks a forward must hand out, and so how much of the model it must run: blocks up to
 * the last one named, the final LayerNorm only when a final hook or the logits are named, and
 * the unembedding only for {@code logits} (DESIGN §3).
 */
public record HookPlan(Set<String> hooks, int lastLayer, boolean finalNorm, boolean logits) {

    /** Hooks chosen by exact names or globs ({@code *} matches any run of characters). */
    public static HookPlan select(int layers, Collection<String> patterns) {
        List<String> all = HookNames.all(layers);
        Set<String> chosen = new LinkedHashSet<>();
        for (String pattern : patterns) {
            Pattern regex = globToRegex(pattern.trim());
            boolean matched = false;
            for (String name : all) {
                if (regex.matcher(name).matches()) {
                    chosen.add(name);
                    matched = true;
                }
            }
            if (!matched) {
                throw new IllegalArgumentException("no hook matches '" + pattern + "' in a model with " + layers
                        + " layers; hook names look like blocks.0.hook_resid_post, blocks.*.attn.hook_pattern, logits");
            }
        }
        return forHooks(layers, chosen);
    }

    /** The plan for exactly these hook names. */
    public static HookPlan forHooks(int layers, Set<String> names) {
        int last = -1;
        boolean finalNorm = false;
        boolean logits = false;
        for (String name : names) {
            int layer = HookNames.layerOf(name);
            last = Math.max(last, layer);
            if (name.startsWith("ln_final.") || name.equals(HookNames.LOGITS)) {
                finalNorm = true;
                last = layers - 1;
            }
            logits |= name.equals(HookNames.LOGITS);
        }
        return new HookPlan(Set.copyOf(names), last, finalNorm, logits);
    }

    /** Every block run, no hooks handed out; with or without the unembedding (the benchmark's forwards). */
    public static HookPlan fullForward(int layers, boolean logits) {
        return new HookPlan(Set.of(), layers - 1, logits, logits);
    }

    public boolean wants(String name) {
        return hooks.contains(name);
    }

    public boolean wantsBlock(int layer, String suffix) {
        return hooks.contains(HookNames.block(layer, suffix));
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
