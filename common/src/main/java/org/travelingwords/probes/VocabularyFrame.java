package org.travelingwords.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The frame the trajectory figure is drawn in: the top 3 principal axes of LN(E), the embeddings
 * normalized over D without the affine part, by PCA over the whole vocabulary (the eigenvectors
 * of the covariance of the rows, largest eigenvalue first). Coordinates are taken about the mean
 * row m: point(x) = (x − m)·axes. Each axis' sign follows {@link SignRule} on the vocabulary's own
 * coordinates, so the picture does not flip between runs or implementations.
 *
 * @param mean      m [D]
 * @param axes      [3, D] row-major, unit vectors
 * @param variances the eigenvalues of the 3 axes (population covariance)
 * @param cloud     every token's coordinates [V, 3] row-major
 */
public record VocabularyFrame(double[] mean, double[] axes, double[] variances, float[] cloud) implements Serializable {

    public static final int DIMENSIONS = 3;

    public static VocabularyFrame compute(ProbeSpace space) {
        int d = space.config().nEmbd();
        int vocab = space.config().vocabSize();
        if (d < DIMENSIONS) {
            throw new IllegalArgumentException("a " + DIMENSIONS + "-axis frame needs d_model ≥ " + DIMENSIONS);
        }
        try (NDScope scope = new NDScope()) {
            NDArray normalized = space.byRowBlocks(space.embedding(), space::normalize);  // LN(E) [V, D]
            NDArray meanRow = normalized.mean(new int[] {0});
            NDArray centered = normalized.sub(meanRow);
            double[] covariance = centered.transpose().matMul(centered).div(vocab).toDoubleArray();
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
            if (!eig.decompose(DMatrixRMaj.wrap(d, d, covariance))) {
                throw new IllegalStateException("eigen decomposition of the " + d + "×" + d + " covariance failed");
            }
            Integer[] order = IntStream.range(0, eig.getNumberOfEigenvalues()).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble(i -> -eig.getEigenvalue(i).getReal()));
            double[] axes = new double[DIMENSIONS * d];
            double[] variances = new double[DIMENSIONS];
            for (int a = 0; a < DIMENSIONS; a++) {
                DMatrixRMaj vector = eig.getEigenVector(order[a]);
                double norm = Math.sqrt(Arrays.stream(vector.data).map(x -> x * x).sum());
                for (int i = 0; i < d; i++) {
                    axes[a * d + i] = vector.data[i] / norm;
                }
                variances[a] = eig.getEigenvalue(order[a]).getReal();
            }
            double[] cloud = centered.matMul(space.array(axes, DIMENSIONS, d).transpose()).toDoubleArray();  // [V, 3]
            for (int a = 0; a < DIMENSIONS; a++) {
                if (SignRule.flip(cloud, a, vocab, DIMENSIONS)) {
                    for (int i = 0; i < d; i++) {
                        axes[a * d + i] = -axes[a * d + i];
                    }
                    for (int v = 0; v < vocab; v++) {
                        cloud[v * DIMENSIONS + a] = -cloud[v * DIMENSIONS + a];
                    }
                }
            }
            float[] cloudFloats = new float[cloud.length];
            for (int i = 0; i < cloud.length; i++) {
                cloudFloats[i] = (float) cloud[i];
            }
            return new VocabularyFrame(meanRow.toDoubleArray(), axes, variances, cloudFloats);
        }
    }

    /** (x − m)·axesᵀ for rows x [n, D] on the device: [n, 3]. */
    public NDArray coordinates(ProbeSpace space, NDArray rows) {
        int d = mean.length;
        return rows.sub(space.array(mean, d)).matMul(space.array(axes, DIMENSIONS, d).transpose());
    }
}
