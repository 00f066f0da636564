package org.travelingwords.probes;

import org.travelingwords.model.Gpt2Weights;
import org.travelingwords.model.HostTensor;

/**
 * One attention head's weights as DESIGN §6 names them, float32, row-major: W_Q, W_K, W_V are the
 * head's [D, dh] column slices of {@code c_attn.weight} (Conv1D [D, 3D]: queries, keys, values side
 * by side), W_O its [dh, D] row slice of {@code c_proj.weight}, b_Q, b_K, b_V its [dh] bias slices.
 */
public record HeadWeights(int block, int head, int dModel, int headDim,
                          float[] query, float[] key, float[] value, float[] output,
                          float[] queryBias, float[] keyBias, float[] valueBias) {

    public static HeadWeights of(Gpt2Weights weights, int block, int head) {
        int d = weights.config().nEmbd();
        int dh = weights.config().headDim();
        if (block < 0 || block >= weights.config().nLayer() || head < 0 || head >= weights.config().nHead()) {
            throw new IllegalArgumentException("no head " + head + " in block " + block + " of a model with "
                    + weights.config().nLayer() + " blocks of " + weights.config().nHead() + " heads");
        }
        String prefix = "h." + block + ".attn.";
        HostTensor attn = weights.get(prefix + "c_attn.weight");
        float[] bias = weights.get(prefix + "c_attn.bias").data();
        float[] proj = weights.get(prefix + "c_proj.weight").data();
        int column = head * dh;
        float[] output = new float[dh * d];
        System.arraycopy(proj, column * d, output, 0, dh * d);     // rows h·dh … (h+1)·dh − 1
        return new HeadWeights(block, head, d, dh,
                columns(attn.data(), 3 * d, d, column, dh),
                columns(attn.data(), 3 * d, d, d + column, dh),
                columns(attn.data(), 3 * d, d, 2 * d + column, dh),
                output,
                slice(bias, column, dh),
                slice(bias, d + column, dh),
                slice(bias, 2 * d + column, dh));
    }

    /** Columns {@code first … first+count−1} of a row-major [rows, width] matrix. */
    private static float[] columns(float[] matrix, int width, int rows, int first, int count) {
        float[] out = new float[rows * count];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix, r * width + first, out, r * count, count);
        }
        return out;
    }

    private static float[] slice(float[] vector, int first, int count) {
        float[] out = new float[count];
        System.arraycopy(vector, first, out, 0, count);
        return out;
    }
}
