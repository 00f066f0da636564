package org.travelingwords.heads;

/**
 * Points with a given Gram matrix: for a positive semi-definite G (n × n), rows x_i with
 * x_i·x_j = G_ij, from the Cholesky factor G = L·Lᵀ (x_i = row i of L). A zero pivot (G singular,
 * e.g. two identical heads) leaves its column 0: for a semi-definite G the rest of that column is 0
 * too, up to rounding. Cosine KMeans and silhouettes see only these inner products, so clustering
 * the rows is clustering the vectors G came from, in n dimensions instead of theirs.
 */
final class GramCoordinates {

    /** Pivots below this share of the largest diagonal entry count as 0 (rounding of an fp64 G). */
    private static final double RELATIVE_TOLERANCE = 1e-10;

    private GramCoordinates() {}

    static double[][] of(double[][] gram) {
        int n = gram.length;
        double largest = 0;
        for (int i = 0; i < n; i++) {
            largest = Math.max(largest, gram[i][i]);
        }
        double[][] l = new double[n][n];
        for (int j = 0; j < n; j++) {
            double pivot = gram[j][j];
            for (int k = 0; k < j; k++) {
                pivot -= l[j][k] * l[j][k];
            }
            if (pivot <= RELATIVE_TOLERANCE * largest) {
                continue;
            }
            l[j][j] = Math.sqrt(pivot);
            for (int i = j + 1; i < n; i++) {
                double s = gram[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = s / l[j][j];
            }
        }
        return l;
    }
}
