package org.travelingwords.catalog;

import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.travelingwords.stats.MetricSummary;
import org.travelingwords.stats.Moments;

/**
 * A row of sphere_stats or head_stats: the table's key columns, then the aggregate columns of one
 * {@link MetricSummary} (count, mean, stddev, min, max, p01 … p99, sketch) in the order
 * {@link TableSchemas} declares them.
 */
public final class SummaryRow {

    /** The ranks of the quantile columns p01 … p99. */
    private static final double[] QUANTILES = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};
    /** count, mean, stddev, min, max and sketch. */
    private static final int OTHER_COLUMNS = 6;

    private SummaryRow() {}

    /** {@code keys} are the table's columns before count, run_id first. */
    public static Row of(MetricSummary summary, Object... keys) {
        Moments m = summary.moments();
        Object[] values = Arrays.copyOf(keys, keys.length + OTHER_COLUMNS + QUANTILES.length);
        int i = keys.length;
        values[i++] = m.count();
        values[i++] = m.mean();
        values[i++] = m.stddev();
        values[i++] = m.min();
        values[i++] = m.max();
        for (double q : QUANTILES) {
            values[i++] = (double) summary.quantile(q);
        }
        values[i] = summary.sketchBytes();
        return RowFactory.create(values);
    }
}
