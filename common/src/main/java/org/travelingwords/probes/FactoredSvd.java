package org.travelingwords.probes;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The exact thin SVD of a low-rank product W = c·A·Bᵀ with A, B [D, r], r ≤ D, without forming the
 * D×D matrix: A = Q_a R_a and B = Q_b R_b (thin QR), so W = Q_a (c·R_a R_bᵀ) Q_bᵀ, and the SVD of the
 * small r×r middle, U_m S V_mᵀ, gives W = (Q_a U_m) S (Q_b V_m)ᵀ. This is how a head's W_QK = W_Q W_Kᵀ/sqrt(dh)
 * and W_VO = W_V W_O (B = W_Oᵀ) are decomposed (DESIGN §6): their rank is at most dh. Double precision.
 *
 * @param left           U [D, r] row-major, its columns the left singular vectors
 * @param singularValues S, descending
 * @param right          V [D, r] row-major
 */
public record FactoredSvd(int dModel, int rank, double[] left, double[] singularValues, double[] right) {

    /** The SVD of {@code scale}·A·Bᵀ for row-major A, B of shape [rows, cols] with rows ≥ cols. */
    public static FactoredSvd of(float[] a, float[] b, int rows, int cols, double scale) {
        if (rows < cols) {
            throw new IllegalArgumentException("factors must be tall: [" + rows + ", " + cols + "]");
        }
        DMatrixRMaj[] qa = thinQr(a, rows, cols);
        DMatrixRMaj[] qb = thinQr(b, rows, cols);
        DMatrixRMaj middle = new DMatrixRMaj(cols, cols);
        CommonOps_DDRM.multTransB(scale, qa[1], qb[1], middle);                   // c·R_a R_bᵀ

        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(cols, cols, true, true, true);
        if (!svd.decompose(middle)) {
            throw new IllegalStateException("SVD of the " + cols + "×" + cols + " middle factor did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);

        DMatrixRMaj left = new DMatrixRMaj(rows, cols);
        DMatrixRMaj right = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.mult(qa[0], u, left);                                       // Q_a U_m
        CommonOps_DDRM.mult(qb[0], v, right);                                      // Q_b V_m
        double[] singular = new double[cols];
        for (int i = 0; i < cols; i++) {
            singular[i] = w.get(i, i);
        }
        return new FactoredSvd(rows, cols, left.getData(), singular, right.getData());
    }

    /** {Q [rows, cols], R [cols, cols]} of a row-major float matrix. */
    private static DMatrixRMaj[] thinQr(float[] values, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < values.length; i++) {
            m.data[i] = values[i];
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, cols);
        if (!qr.decompose(m)) {
            throw new IllegalStateException("QR decomposition failed");
        }
        return new DMatrixRMaj[] {qr.getQ(null, true), qr.getR(null, true)};
    }

    /** The first {@code n} columns of U [D, n] row-major, each multiplied by its singular value when {@code scaled}. */
    public double[] leftColumns(int n, boolean scaled) {
        double[] out = firstColumns(left, n);
        if (scaled) {
            for (int i = 0; i < out.length; i++) {
                out[i] *= singularValues[i % n];
            }
        }
        return out;
    }

    /** The first {@code n} columns of V [D, n] row-major. */
    public double[] rightColumns(int n) {
        return firstColumns(right, n);
    }

    private double[] firstColumns(double[] matrix, int n) {
        if (n > rank) {
            throw new IllegalArgumentException(n + " columns asked of a rank-" + rank + " factor");
        }
        double[] out = new double[dModel * n];
        for (int row = 0; row < dModel; row++) {
            System.arraycopy(matrix, row * rank, out, row * n, n);
        }
        return out;
    }
}
