package org.travelingwords.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.report.SphereStats.Point;
import org.travelingwords.report.SphereStats.Stat;

/** This run against another (`--compare`): both runs' curves together, and the per-layer differences. */
final class ComparisonSection extends ReportSection {

    private static final List<LayerMeasure> MEASURES = List.of(
            new LayerMeasure("norm", "norm", SphereStats.RESID_POST),
            new LayerMeasure("scale", "scale", SphereStats.RESID_POST),
            new LayerMeasure("step_angle attention", "step_angle", SphereStats.RESID_MID),
            new LayerMeasure("step_angle MLP", "step_angle", SphereStats.RESID_POST),
            new LayerMeasure("layer_angle", "layer_angle", SphereStats.RESID_POST),
            new LayerMeasure("embed_angle", "embed_angle", SphereStats.RESID_POST),
            new LayerMeasure("log_ratio", "log_ratio", SphereStats.RESID_POST));

    ComparisonSection() {
        super("comparison", "Comparison");
    }

    @Override
    public SectionBody render(ReportContext context) throws IOException {
        Optional<Row> compared = context.compared();
        if (compared.isEmpty()) {
            return SectionBody.absent("no run to compare with (tw report --compare RUN_ID)");
        }
        String otherId = compared.get().getAs("run_id");
        if (!context.hasTable(TableSchemas.SPHERE_STATS)) {
            return SectionBody.absent("no sphere_stats table");
        }
        SphereStats mine = SphereStats.read(context, context.runId());
        SphereStats theirs = SphereStats.read(context, otherId);
        if (mine.isEmpty() || theirs.isEmpty()) {
            return SectionBody.absent("no sphere_stats rows for run " + (mine.isEmpty() ? context.runId() : otherId));
        }
        String me = context.runId();
        StringBuilder html = new StringBuilder();
        html.append("<p>This run, ").append(Html.text(me)).append(" (").append(Html.text(context.run().getAs("model_id")))
                .append("), against ").append(Html.text(otherId)).append(" (")
                .append(Html.text(compared.get().getAs("model_id"))).append("). Medians over every position but 0; "
                        + "differences are this run minus the other.</p>");
        html.append("<div class=\"figures\">");
        both(html, "norm", "norm ‖x‖", me, mine.alongStream("norm"), otherId, theirs.alongStream("norm"),
                SphereSection.STREAM_AXIS);
        both(html, "embed_angle", "angle from the embedding", me, mine.alongStream("embed_angle"), otherId,
                theirs.alongStream("embed_angle"), SphereSection.STREAM_AXIS);
        both(html, "layer_angle", "resid_pre(l) to resid_post(l)", me,
                SphereStats.atLayers(mine.perLayer("layer_angle", SphereStats.RESID_POST)), otherId,
                SphereStats.atLayers(theirs.perLayer("layer_angle", SphereStats.RESID_POST)), "layer");
        both(html, "log_ratio", "log p(next) − log p(current)", me,
                SphereStats.atLayers(mine.perLayer("log_ratio", SphereStats.RESID_POST)), otherId,
                SphereStats.atLayers(theirs.perLayer("log_ratio", SphereStats.RESID_POST)), "layer");
        html.append("</div>");
        html.append("<h3>Differences per layer</h3>").append(differences(mine, theirs));
        return SectionBody.of(html.toString());
    }

    private static void both(StringBuilder html, String metric, String yTitle, String me, List<Point> mine,
                             String other, List<Point> theirs, String xTitle) throws IOException {
        if (mine.isEmpty() || theirs.isEmpty()) {
            return;
        }
        byte[] png = Charts.bands(xTitle, yTitle, List.of(SphereStats.band(me, mine), SphereStats.band(other, theirs)));
        html.append(Html.figure(Html.png(png, metric + " of both runs", Charts.WIDTH),
                "<code>" + Html.text(metric) + "</code> of both runs (median and p05–p95)"));
    }

    /** Δ median per layer and measure, for the layers both runs have. */
    private static String differences(SphereStats mine, SphereStats theirs) {
        List<String> headers = new ArrayList<>(List.of("layer"));
        List<Map<Integer, Double>> deltas = new ArrayList<>();
        TreeSet<Integer> layers = new TreeSet<>();
        for (LayerMeasure measure : MEASURES) {
            headers.add("Δ " + measure.label());
            Map<Integer, Double> delta = new TreeMap<>();
            Map<Integer, Stat> other = new TreeMap<>();
            theirs.perLayer(measure.metric(), measure.site()).forEach(stat -> other.put(stat.layer(), stat));
            for (Stat stat : mine.perLayer(measure.metric(), measure.site())) {
                Stat counterpart = other.get(stat.layer());
                if (counterpart != null) {
                    delta.put(stat.layer(), stat.p50() - counterpart.p50());
                    layers.add(stat.layer());
                }
            }
            deltas.add(delta);
        }
        HtmlTable table = new HtmlTable(headers).cssClass("data numbers");
        for (int layer : layers) {
            String[] cells = new String[MEASURES.size() + 1];
            cells[0] = Integer.toString(layer);
            for (int m = 0; m < MEASURES.size(); m++) {
                cells[m + 1] = Html.num(deltas.get(m).get(layer));
            }
            table.row(cells);
        }
        return table.isEmpty() ? "<p class=\"muted\">The runs share no layer.</p>" : table.html();
    }
}
