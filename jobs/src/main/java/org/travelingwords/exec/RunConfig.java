package org.travelingwords.exec;

import com.google.gson.GsonBuilder;
import java.io.Serializable;
import java.util.List;
import org.travelingwords.heads.HeadsOptions;

/**
 * The effective configuration of one {@code tw run}, after defaults: what the job does and what
 * the {@code runs} table records as JSON.
 *
 * @param analyses  the analyses the one pass runs, a non-empty subset of {@link #ANALYSES}
 * @param precision fp32, fp16 or bf16 (the model's, on GPUs)
 * @param heads     the options of the {@code heads} analysis (used only when it runs)
 */
public record RunConfig(
        List<String> corpus,
        String format,
        String textField,
        String idField,
        int maxDocChars,
        String model,
        String device,
        int torchThreads,
        int blockSize,
        int stride,
        boolean prependEos,
        int partitions,
        int batchTokens,
        double sampleRate,
        boolean fullLogitLens,
        List<String> analyses,
        String runDate,
        String out,
        String precision,
        HeadsOptions heads) implements Serializable {

    public static final String SPHERE = "sphere";
    public static final String HEADS = "heads";
    /** Every analysis {@code tw run} knows. */
    public static final List<String> ANALYSES = List.of(SPHERE, HEADS);

    public RunConfig {
        if (analyses == null || analyses.isEmpty()) {
            throw new IllegalArgumentException("--analyses needs at least one of " + ANALYSES);
        }
        for (String analysis : analyses) {
            if (!ANALYSES.contains(analysis)) {
                throw new IllegalArgumentException("unknown analysis '" + analysis + "' (available: "
                        + String.join(", ", ANALYSES) + ")");
            }
        }
        analyses = List.copyOf(analyses);
        if (heads == null) {
            heads = HeadsOptions.DEFAULTS;
        }
    }

    /** The configuration at fp32, the only precision on CPUs, with the heads analysis' default options. */
    public RunConfig(List<String> corpus, String format, String textField, String idField, int maxDocChars, String model,
                     String device, int torchThreads, int blockSize, int stride, boolean prependEos, int partitions,
                     int batchTokens, double sampleRate, boolean fullLogitLens, List<String> analyses, String runDate,
                     String out) {
        this(corpus, format, textField, idField, maxDocChars, model, device, torchThreads, blockSize, stride, prependEos,
                partitions, batchTokens, sampleRate, fullLogitLens, analyses, runDate, out, "fp32", HeadsOptions.DEFAULTS);
    }

    /** Whether the one pass runs {@code analysis}. */
    public boolean runs(String analysis) {
        return analyses.contains(analysis);
    }

    /** How executors load the model. */
    public ModelSettings modelSettings() {
        return new ModelSettings(model, device, torchThreads, precision);
    }

    /** Block size defaults to the model's n_positions, stride to the block size. */
    public RunConfig withModelDefaults(org.travelingwords.model.Gpt2Config modelConfig) {
        int block = blockSize > 0 ? blockSize : modelConfig.nPositions();
        if (block > modelConfig.nPositions()) {
            throw new IllegalArgumentException("--block-size " + block + " exceeds the model's n_positions " + modelConfig.nPositions());
        }
        int step = stride > 0 ? stride : block;
        return new RunConfig(corpus, format, textField, idField, maxDocChars, model, device, torchThreads, block, step,
                prependEos, partitions, batchTokens, sampleRate, fullLogitLens, analyses, runDate, out, precision, heads);
    }

    public String toJson() {
        return new GsonBuilder().serializeNulls().create().toJson(this);
    }
}
