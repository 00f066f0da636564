package org.travelingwords.report;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.report.Charts.Band;

/** One run's {@code sphere_stats} rows (without the sketches), looked up by metric, site and bucket. */
final class SphereStats {

    /** The bucket of every position but 0 (DESIGN §4): what per-layer curves show. */
    static final String ALL_POSITIONS = "all";

    static final String RESID_PRE = "resid_pre";
    static final String RESID_MID = "resid_mid";
    static final String RESID_POST = "resid_post";

    /** One row: a (layer, site, metric, position_bucket) and its summary. */
    record Stat(int layer, String site, String metric, String bucket, long count, double mean, double min,
                double max, double p05, double p50, double p95) {}

    private final List<Stat> stats;

    private SphereStats(List<Stat> stats) {
        this.stats = stats;
    }

    static SphereStats read(ReportContext context, String runId) {
        return read(context, runId, TableSchemas.SCOPE_RUN);
    }

    /** The run's rows of {@code scope} ({@code cumulative}: a nightly lineage's up to that night). */
    static SphereStats read(ReportContext context, String runId, String scope) {
        List<Stat> stats = new ArrayList<>();
        List<Row> rows = context.rows(TableSchemas.SPHERE_STATS, runId, scope)
                .select("layer", "site", "metric", "position_bucket", "count", "mean", "min", "max", "p05", "p50", "p95")
                .where(col("count").gt(0))
                .collectAsList();
        for (Row row : rows) {
            stats.add(new Stat(row.getInt(0), row.getString(1), row.getString(2), row.getString(3), row.getLong(4),
                    row.getDouble(5), row.getDouble(6), row.getDouble(7), row.getDouble(8), row.getDouble(9),
                    row.getDouble(10)));
        }
        return new SphereStats(stats);
    }

    boolean isEmpty() {
        return stats.isEmpty();
    }

    /** The metric at one site over every position but 0, by layer. */
    List<Stat> perLayer(String metric, String site) {
        return stats.stream()
                .filter(s -> s.metric.equals(metric) && s.site.equals(site) && s.bucket.equals(ALL_POSITIONS))
                .sorted(Comparator.comparingInt(Stat::layer))
                .toList();
    }

    /** The metric at one site, every layer and position bucket except {@link #ALL_POSITIONS}. */
    List<Stat> perBucket(String metric, String site) {
        return stats.stream()
                .filter(s -> s.metric.equals(metric) && s.site.equals(site) && !s.bucket.equals(ALL_POSITIONS))
                .toList();
    }

    /** Every row of a metric: each site, layer and position bucket, in that order. */
    List<Stat> everywhere(String metric) {
        return stats.stream()
                .filter(s -> s.metric.equals(metric))
                .sorted(Comparator.<Stat>comparingInt(s -> siteOrder(s.site)).thenComparingInt(Stat::layer))
                .toList();
    }

    /** Every layer and site of a metric over every position but 0. */
    List<Stat> allSites(String metric) {
        return stats.stream()
                .filter(s -> s.metric.equals(metric) && s.bucket.equals(ALL_POSITIONS))
                .sorted(Comparator.comparingInt(Stat::layer).thenComparing(s -> siteOrder(s.site)))
                .toList();
    }

    /**
     * The metric along the residual stream: resid_pre of layer 0, then resid_mid and resid_post of
     * each layer (resid_pre(l + 1) is resid_post(l)), at depths 0, l + ½ and l + 1.
     */
    List<Point> alongStream(String metric) {
        List<Point> points = new ArrayList<>();
        for (Stat stat : allSites(metric)) {
            double depth = switch (stat.site) {
                case RESID_PRE -> stat.layer == 0 ? 0 : Double.NaN;
                case RESID_MID -> stat.layer + 0.5;
                case RESID_POST -> stat.layer + 1;
                default -> Double.NaN;
            };
            if (!Double.isNaN(depth)) {
                points.add(new Point(depth, stat));
            }
        }
        return points;
    }

    /** A stat placed on a chart's x axis. */
    record Point(double x, Stat stat) {}

    /** The points of a per-layer curve, at x = layer. */
    static List<Point> atLayers(List<Stat> perLayer) {
        return perLayer.stream().map(s -> new Point(s.layer, s)).toList();
    }

    /** Median and p05–p95 of each point, as a chart band. */
    static Band band(String name, List<Point> points) {
        int n = points.size();
        double[] x = new double[n];
        double[] low = new double[n];
        double[] median = new double[n];
        double[] high = new double[n];
        for (int i = 0; i < n; i++) {
            Point point = points.get(i);
            x[i] = point.x();
            low[i] = point.stat().p05();
            median[i] = point.stat().p50();
            high[i] = point.stat().p95();
        }
        return new Band(name, x, low, median, high);
    }

    private static int siteOrder(String site) {
        return switch (site) {
            case RESID_PRE -> 0;
            case RESID_MID -> 1;
            default -> 2;
        };
    }
}
