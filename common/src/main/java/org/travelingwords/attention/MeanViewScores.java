package org.travelingwords.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.travelingwords.model.Fp32;
import org.travelingwords.model.HookedGpt2;

/**
 * DESIGN §5's {@code mean} view on the model's device. A head's average write m = S/n becomes
 * w = γ_f ⊙ m + β_f and its vocabulary scores s = E·w = E·(γ_f ⊙ m) + E·β_f, the logits the final
 * LayerNorm's affine map and the tied unembedding would give m. Only small results leave the device:
 * <ul>
 * <li>each head's top tokens and scores;</li>
 * <li>the cosine matrix of the standardized scores z = (s − mean)/stddev (over the vocabulary,
 *     population), C_hg = z_h·z_g / V, in fp64: all that clustering by cosine similarity needs;</li>
 * <li>each head's unit write u = w/(stddev·√V): (E − 1·ēᵀ)·u = z/√V, the unit vector of its
 *     standardized scores, so a sum of unit writes is the direction of a sum of those unit vectors
 *     ({@link #topTokens} ranks it on the vocabulary; the centering ē, the mean row of E, shifts
 *     every score equally and changes no ranking).</li>
 * </ul>
 * A head whose scores are all equal has no direction: its cosines and unit write are 0.
 */
public final class MeanViewScores {

    /** The mean view of n heads, in the order they were given. */
    public record Result(int[][] topTokens, float[][] topScores, double[][] cosines, double[][] unitWrites,
                         boolean[] directional) implements Serializable {}

    private MeanViewScores() {}

    /** Scores each of {@code meanWrites} ([D] each) with its {@code top} best tokens; [n, V] in fp64 is the largest array. */
    public static Result score(HookedGpt2 model, List<float[]> meanWrites, int top, NDManager scope) {
        int n = meanWrites.size();
        int d = model.config().nEmbd();
        int vocab = model.config().vocabSize();
        int k = Math.min(top, vocab);
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(meanWrites.get(i), 0, flat, i * d, d);
        }
        try (NDManager manager = scope.newSubManager(model.device())) {
            NDArray writes = Fp32.of(manager.create(flat, new Shape(n, d)).mul(model.finalGain()).add(model.finalBias()));
            NDArray scores = Fp32.of(model.unembed(writes));                                        // s = E·w, [n, V]
            NDList best = scores.topK(k, -1, true, true);
            NDArray wide = scores.toType(DataType.FLOAT64, false);
            NDArray centered = wide.sub(wide.mean(new int[] {-1}, true));
            NDArray stddev = centered.square().mean(new int[] {-1}, true).sqrt();                   // [n, 1]
            NDArray directional = stddev.gt(0);
            NDArray safe = stddev.maximum(Double.MIN_NORMAL);
            NDArray z = centered.div(safe);
            double[] cosines = z.matMul(z.transpose()).div(vocab).toDoubleArray();                  // z·zᵀ / V
            double[] unit = writes.toType(DataType.FLOAT64, false).div(safe.mul(Math.sqrt(vocab)))
                    .mul(directional.toType(DataType.FLOAT64, false)).toDoubleArray();
            boolean[] hasDirection = directional.squeeze(-1).toBooleanArray();
            int[] tokens = best.get(1).toType(DataType.INT32, false).toIntArray();
            float[] values = best.get(0).toFloatArray();
            int[][] topTokens = new int[n][];
            float[][] topScores = new float[n][];
            double[][] cosineRows = new double[n][];
            double[][] unitWrites = new double[n][];
            for (int i = 0; i < n; i++) {
                topTokens[i] = Arrays.copyOfRange(tokens, i * k, (i + 1) * k);
                topScores[i] = Arrays.copyOfRange(values, i * k, (i + 1) * k);
                cosineRows[i] = Arrays.copyOfRange(cosines, i * n, (i + 1) * n);
                unitWrites[i] = Arrays.copyOfRange(unit, i * d, (i + 1) * d);
            }
            return new Result(topTokens, topScores, cosineRows, unitWrites, hasDirection);
        }
    }

    /** The {@code top} tokens of E·c for each direction c (a sum of unit writes), best first. */
    public static int[][] topTokens(HookedGpt2 model, List<double[]> directions, int top, NDManager scope) {
        int d = model.config().nEmbd();
        int k = Math.min(top, model.config().vocabSize());
        double[] flat = new double[directions.size() * d];
        for (int i = 0; i < directions.size(); i++) {
            System.arraycopy(directions.get(i), 0, flat, i * d, d);
        }
        try (NDManager manager = scope.newSubManager(model.device())) {
            NDArray c = manager.create(flat, new Shape(directions.size(), d)).toType(DataType.FLOAT32, false);
            int[] tokens = model.unembed(c).topK(k, -1, true, true).get(1).toType(DataType.INT32, false).toIntArray();
            int[][] rows = new int[directions.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Arrays.copyOfRange(tokens, i * k, (i + 1) * k);
            }
            return rows;
        }
    }
}
