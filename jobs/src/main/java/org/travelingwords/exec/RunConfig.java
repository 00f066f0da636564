package org.travelingwords.exec;

import com.google.gson.GsonBuilder;
import java.io.Serializable;
import java.util.List;

/**
 * The effective configuration of one {@code tw run}, after defaults: what the job does and what
 * the {@code runs} table records as JSON.
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
        String precision) implements Serializable {

    /** The configuration at fp32, the only precision on CPUs. */
    public RunConfig(List<String> corpus, String format, String textField, String idField, int maxDocChars, String model,
                     String device, int torchThreads, int blockSize, int stride, boolean prependEos, int partitions,
                     int batchTokens, double sampleRate, boolean fullLogitLens, List<String> analyses, String runDate,
                     String out) {
        this(corpus, format, textField, idField, maxDocChars, model, device, torchThreads, blockSize, stride, prependEos,
                partitions, batchTokens, sampleRate, fullLogitLens, analyses, runDate, out, "fp32");
    }

    /** Block size defaults to the model's n_positions, stride to the block size. */
    public RunConfig withModelDefaults(org.travelingwords.model.Gpt2Config modelConfig) {
        int block = blockSize > 0 ? blockSize : modelConfig.nPositions();
        if (block > modelConfig.nPositions()) {
            throw new IllegalArgumentException("--block-size " + block + " exceeds the model's n_positions " + modelConfig.nPositions());
        }
        int step = stride > 0 ? stride : block;
        return new RunConfig(corpus, format, textField, idField, maxDocChars, model, device, torchThreads, block, step,
                prependEos, partitions, batchTokens, sampleRate, fullLogitLens, analyses, runDate, out, precision);
    }

    public String toJson() {
        return new GsonBuilder().serializeNulls().create().toJson(this);
    }
}
