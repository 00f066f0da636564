package org.travelingwords.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How far the embeddings are from what a LayerNorm makes of them: for each {@link Setting} of e, the
 * mean and population std over the vocabulary of ‖setting(e) − LN(e)‖ and of 1 − cos(setting(e), LN(e)),
 * LN over D without the affine part. Centering and scaling are the two things LN does; the table
 * shows how much of LN each accounts for.
 */
public record LnDistance(Setting setting, double l2Mean, double l2Std, double cosMean, double cosStd)
        implements Serializable {

    public enum Setting {
        /** e. */
        ORIGINAL("original"),
        /** e − m, m the mean of the rows of E. */
        CENTERED("centered"),
        /** e·s, s = sqrt(D)/mean‖e‖. */
        SCALED("scaled"),
        /** (e − m)·s', s' = sqrt(D)/mean‖e − m‖: scaled after centering, by the centered rows' mean norm. */
        CENTERED_SCALED("centered_scaled");

        private final String label;

        Setting(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static List<LnDistance> compute(ProbeSpace space) {
        Setting[] settings = Setting.values();
        double[] distances;                                                 // [V, 2 per setting]: L2, 1 − cos
        try (NDScope scope = new NDScope()) {
            NDArray e = space.embedding();                                  // [V, D]
            NDArray m = e.mean(new int[] {0});
            double rootD = Math.sqrt(space.config().nEmbd());
            double scale = rootD / e.norm(new int[] {1}).mean().getDouble();
            double centeredScale = rootD / space.byRowBlocks(e, rows -> rows.sub(m).norm(new int[] {1})).mean().getDouble();
            distances = space.byRowBlocks(e, rows -> {
                NDArray target = space.normalize(rows);                     // LN(e), no affine
                NDArray centered = rows.sub(m);
                NDList columns = new NDList();
                for (Setting setting : settings) {
                    NDArray x = switch (setting) {
                        case ORIGINAL -> rows;
                        case CENTERED -> centered;
                        case SCALED -> rows.mul(scale);
                        case CENTERED_SCALED -> centered.mul(centeredScale);
                    };
                    columns.add(x.sub(target).norm(new int[] {1}));
                    NDArray cos = x.mul(target).sum(new int[] {1})
                            .div(x.norm(new int[] {1}).mul(target.norm(new int[] {1})));
                    columns.add(cos.neg().add(1.0));
                }
                return NDArrays.stack(columns, 1);
            }).toDoubleArray();
        }
        int columns = 2 * settings.length;
        List<LnDistance> rows = new ArrayList<>();
        for (Setting setting : settings) {
            int l2 = 2 * setting.ordinal();
            rows.add(new LnDistance(setting, mean(distances, l2, columns), std(distances, l2, columns),
                    mean(distances, l2 + 1, columns), std(distances, l2 + 1, columns)));
        }
        return rows;
    }

    /** Mean of column {@code column} of a row-major matrix with {@code width} columns. */
    private static double mean(double[] values, int column, int width) {
        double sum = 0;
        int n = values.length / width;
        for (int i = 0; i < n; i++) {
            sum += values[i * width + column];
        }
        return sum / n;
    }

    /** Population standard deviation of a column, two passes. */
    private static double std(double[] values, int column, int width) {
        double m = mean(values, column, width);
        double sum = 0;
        int n = values.length / width;
        for (int i = 0; i < n; i++) {
            double d = values[i * width + column] - m;
            sum += d * d;
        }
        return Math.sqrt(sum / n);
    }
}
