package org.travelingwords.pass;

import java.io.Serializable;
import org.travelingwords.model.Gpt2Config;

/**
 * How documents become batches: windows of {@code blockSize} tokens every {@code stride}
 * ({@code prependEos} puts {@code <|endoftext|>} first), batches of at most {@code batchTokens}
 * tokens with padding, over {@code partitions} model-stage partitions (0 = Spark's default
 * parallelism). A block size or stride of 0 means the model's default.
 */
public record WindowSettings(int blockSize, int stride, boolean prependEos, int partitions, int batchTokens)
        implements Serializable {

    /** Block size defaults to the model's n_positions, stride to the block size. */
    public WindowSettings withModelDefaults(Gpt2Config model) {
        int block = blockSize > 0 ? blockSize : model.nPositions();
        if (block > model.nPositions()) {
            throw new IllegalArgumentException("--block-size " + block + " exceeds the model's n_positions " + model.nPositions());
        }
        return new WindowSettings(block, stride > 0 ? stride : block, prependEos, partitions, batchTokens);
    }
}
