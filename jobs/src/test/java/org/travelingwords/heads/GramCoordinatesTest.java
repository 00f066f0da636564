package org.travelingwords.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rows with the given inner products, also when the Gram matrix is singular (repeated or dependent vectors). */
class GramCoordinatesTest {

    @Test
    void rowsReproduceTheGramMatrix() {
        SplittableRandom random = new SplittableRandom(5);
        double[][] vectors = new double[7][40];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 40; j++) {
                vectors[i][j] = random.nextGaussian();
            }
        }
        vectors[5] = vectors[1].clone();                       // a repeated vector
        for (int j = 0; j < 40; j++) {
            vectors[6][j] = 2 * vectors[0][j] - vectors[3][j];  // a dependent one
        }
        double[][] gram = new double[7][7];
        for (int a = 0; a < 7; a++) {
            for (int b = 0; b < 7; b++) {
                gram[a][b] = dot(vectors[a], vectors[b]);
            }
        }
        double[][] rows = GramCoordinates.of(gram);
        for (int a = 0; a < 7; a++) {
            for (int b = 0; b < 7; b++) {
                assertEquals(gram[a][b], dot(rows[a], rows[b]), 1e-9 * (1 + Math.abs(gram[a][b])), a + "," + b);
            }
        }
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
