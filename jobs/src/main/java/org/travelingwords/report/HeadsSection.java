package org.travelingwords.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.travelingwords.catalog.TableSchemas;

/**
 * The attention heads (DESIGN §5): layer × head maps of what each head does, the heads grouped by
 * cluster, the query–key pairs the first layers attend along, and the tokens each head writes.
 */
final class HeadsSection extends ReportSection {

    /** A head metric drawn as a layer × head map, and what it says. */
    private record Mapped(String metric, String meaning) {}

    /** The maps, from head_stats over every query position. */
    private static final List<Mapped> MAPPED = List.of(
            new Mapped("entropy", "how spread out the attention is (nats)"),
            new Mapped("sink", "the weight on position 0, the attention sink"),
            new Mapped("prev", "the weight on the previous token"),
            new Mapped("result_norm", "‖result_h‖, how much the head writes"));
    private static final int FIRST_LAYERS = 2;
    private static final int PAIRS_PER_LAYER = 12;
    private static final int SUBJECTS_PER_VIEW = 5;

    HeadsSection() {
        super("heads", "Heads");
    }

    @Override
    public SectionBody render(ReportContext context) throws IOException {
        Optional<String> missing = context.missing(TableSchemas.HEAD_STATS, TableSchemas.QK_PAIRS,
                TableSchemas.HEAD_SUBJECTS, TableSchemas.HEAD_CLUSTERS);
        if (missing.isPresent()) {
            return SectionBody.absent(missing.get() + " (the heads analysis was not part of this run)");
        }
        StringBuilder html = new StringBuilder("<p>Per layer and head, the mean over every query position but 0.</p>");
        if (context.hasRows(TableSchemas.HEAD_STATS)) {
            List<Row> means = context.rows(TableSchemas.HEAD_STATS)
                    .where(col("metric").isin(MAPPED.stream().map(Mapped::metric).toArray())
                            .and(col("position_bucket").equalTo("all")))
                    .select("layer", "head", "mean", "metric")
                    .collectAsList();
            html.append("<div class=\"figures\">");
            for (Mapped mapped : MAPPED) {
                metricMap(html, means.stream().filter(row -> row.getString(3).equals(mapped.metric())).toList(),
                        mapped);
            }
            html.append("</div>");
        }
        if (context.hasRows(TableSchemas.HEAD_CLUSTERS)) {
            html.append(clusters(context));
        }
        if (context.hasRows(TableSchemas.QK_PAIRS)) {
            html.append(queryKeyPairs(context));
        }
        if (context.hasRows(TableSchemas.HEAD_SUBJECTS)) {
            html.append(subjects(context));
        }
        return SectionBody.of(html.toString());
    }

    /** One metric's layer × head map from its rows (layer, head, mean). */
    private static void metricMap(StringBuilder html, List<Row> rows, Mapped mapped) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        Grid grid = Grid.of(rows);
        Double[][] means = new Double[grid.layers][grid.heads];
        for (Row row : rows) {
            means[row.getInt(0)][row.getInt(1)] = row.isNullAt(2) ? null : row.getDouble(2);
        }
        byte[] png = Charts.heatMap(mapped.metric(), "head", "layer", grid.headLabels(), grid.layerLabels(), means,
                Charts.ColourScale.SEQUENTIAL);
        html.append(Html.figure(Html.png(png, mapped.metric() + " per layer and head", Charts.WIDTH),
                "<code>" + mapped.metric() + "</code>: " + Html.text(mapped.meaning())));
    }

    /** Heads coloured by cluster, and the legend: each cluster's size and the tokens of its centroid. */
    private static String clusters(ReportContext context) throws IOException {
        List<Row> rows = context.rows(TableSchemas.HEAD_CLUSTERS)
                .select("layer", "head", "cluster", "cluster_size", "cluster_label")
                .collectAsList();
        Map<Integer, Row> byCluster = new TreeMap<>();
        for (Row row : rows) {
            if (!row.isNullAt(2)) {
                byCluster.putIfAbsent(row.getInt(2), row);
            }
        }
        List<Integer> clusterIds = new ArrayList<>(byCluster.keySet());
        Color[] colours = Charts.categoryColours(Math.max(1, clusterIds.size()));
        Grid grid = Grid.of(rows);
        Integer[][] cells = new Integer[grid.layers][grid.heads];
        for (Row row : rows) {
            cells[row.getInt(0)][row.getInt(1)] = row.isNullAt(2) ? null : clusterIds.indexOf(row.getInt(2));
        }
        byte[] png = Charts.categoryMap("head", "layer", grid.headLabels(), grid.layerLabels(), cells, colours);
        StringBuilder legend = new StringBuilder("<ul class=\"legend\">");
        for (int i = 0; i < clusterIds.size(); i++) {
            Row cluster = byCluster.get(clusterIds.get(i));
            Color colour = colours[i];
            legend.append("<li><span class=\"swatch\" style=\"background:")
                    .append(String.format(Locale.ROOT, "#%06x", colour.getRGB() & 0xFFFFFF)).append("\"></span><strong>").append(i)
                    .append("</strong> <span class=\"muted\">(").append(cluster.isNullAt(3) ? "–" : cluster.getInt(3))
                    .append(" heads)</span> ");
            if (!cluster.isNullAt(4)) {
                for (Object token : cluster.getList(4)) {
                    legend.append(Html.token((String) token)).append(' ');
                }
            }
            legend.append("</li>");
        }
        legend.append("</ul>");
        return "<h3>Head clusters</h3><div class=\"figure-with-legend\">"
                + Html.figure(Html.png(png, "heads by cluster", Charts.WIDTH),
                        "Heads grouped by what they write; a blank cell is a head with no direction to cluster by")
                + legend + "</div>";
    }

    /** The most frequent (query, key) pairs of the first layers, over all their heads. */
    private static String queryKeyPairs(ReportContext context) {
        Dataset<Row> top = context.rows(TableSchemas.QK_PAIRS)
                .where(col("layer").lt(FIRST_LAYERS))
                .withColumn("layer_rank", row_number().over(Window.partitionBy("layer")
                        .orderBy(col("count").desc(), col("head"), col("rank"))))
                .where(col("layer_rank").leq(PAIRS_PER_LAYER))
                .orderBy("layer", "layer_rank");
        HtmlTable table = new HtmlTable("layer", "head", "query token", "attends to", "queries", "mean weight")
                .cssClass("data tokens");
        for (Row row : top.collectAsList()) {
            table.row(Integer.toString(row.<Integer>getAs("layer")), Integer.toString(row.<Integer>getAs("head")),
                    Html.token(row.getAs("query_token")), Html.token(row.getAs("key_token")),
                    Html.count(row.<Long>getAs("count")), Html.num(row.<Double>getAs("mean_weight")));
        }
        return "<h3>Query–key pairs of the first layers</h3><p>Per query, the key it attends to most (the sink at "
                + "position 0 aside); the pairs seen most often in layers 0–" + (FIRST_LAYERS - 1) + ".</p>"
                + table.html();
    }

    /** Each head's subject tokens in both views: the mean of what it writes, and its most promoted tokens. */
    private static String subjects(ReportContext context) {
        List<Row> rows = context.rows(TableSchemas.HEAD_SUBJECTS)
                .where(col("rank").lt(SUBJECTS_PER_VIEW))
                .orderBy("layer", "head", "view", "rank")
                .select("layer", "head", "view", "token")
                .collectAsList();
        Map<List<Integer>, String[]> lines = new TreeMap<>(
                Comparator.<List<Integer>>comparingInt(key -> key.get(0)).thenComparingInt(key -> key.get(1)));
        for (Row row : rows) {
            String[] cells = lines.computeIfAbsent(List.of(row.getInt(0), row.getInt(1)),
                    key -> new String[] {Integer.toString(key.get(0)), Integer.toString(key.get(1)), "", ""});
            int column = "mean".equals(row.getString(2)) ? 2 : 3;
            cells[column] += Html.token(row.getString(3)) + " ";
        }
        HtmlTable table = new HtmlTable("layer", "head", "mean view", "promoted view").cssClass("data tokens");
        lines.values().forEach(table::row);
        return "<h3>What each head writes</h3><p>The mean view scores the head's summed output on the vocabulary; "
                + "the promoted view counts the token it promotes most, token by token.</p>" + table.html();
    }

    /** The layer × head extent of a table's rows. */
    private record Grid(int layers, int heads) {

        static Grid of(List<Row> rows) {
            int layers = 0;
            int heads = 0;
            for (Row row : rows) {
                layers = Math.max(layers, row.getInt(0) + 1);
                heads = Math.max(heads, row.getInt(1) + 1);
            }
            return new Grid(layers, heads);
        }

        List<String> layerLabels() {
            return numbers(layers);
        }

        List<String> headLabels() {
            return numbers(heads);
        }

        private static List<String> numbers(int n) {
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                labels.add(Integer.toString(i));
            }
            return labels;
        }
    }
}
