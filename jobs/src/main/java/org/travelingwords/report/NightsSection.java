package org.travelingwords.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.travelingwords.catalog.RunRecord;
import org.travelingwords.catalog.TableSchemas;

/**
 * A nightly run's lineage night by night (DESIGN §7): what each night read, and how far each night's own
 * data ({@code scope = run}) moved the geometry from everything before it (the previous night's
 * {@code cumulative} rows), layer by layer, with the night each layer moved most flagged.
 */
final class NightsSection extends ReportSection {


    private static final List<LayerMeasure> SPHERE = List.of(
            new LayerMeasure("step_angle attention", "step_angle", SphereStats.RESID_MID),
            new LayerMeasure("step_angle MLP", "step_angle", SphereStats.RESID_POST),
            new LayerMeasure("layer_angle", "layer_angle", SphereStats.RESID_POST),
            new LayerMeasure("norm", "norm", SphereStats.RESID_POST));
    private static final String HEAD_ENTROPY = "head entropy (mean over heads)";

    NightsSection() {
        super("nights", "Nights");
    }

    @Override
    public SectionBody render(ReportContext context) {
        String lineage = context.run().getAs("lineage");
        if (lineage == null) {
            return SectionBody.absent("not a nightly run (tw nightly)");
        }
        List<Row> nights = nights(context, lineage);
        HtmlTable ledger = new HtmlTable("night", "run", "mode", "documents", "tokens");
        for (Row night : nights) {
            ledger.row(Html.text(night.getAs(TableSchemas.RUN_DATE)), Html.text(night.getAs("run_id")),
                    Html.text(night.getAs("mode")), Html.count(night.<Long>getAs("documents_read")),
                    Html.count(night.<Long>getAs("tokens")));
        }
        StringBuilder html = new StringBuilder("<p>Lineage <code>").append(Html.text(lineage))
                .append("</code>: every committed night up to this one.</p>").append(ledger.html());
        if (nights.size() < 2) {
            return SectionBody.of(html.append("<p class=\"muted\">One night so far: no drift yet.</p>").toString());
        }
        html.append("<h3>Drift</h3><p>Per layer, the median over every position but 0 of each night's own data "
                + "(<code>scope = run</code>) minus that of everything before it (the previous night's "
                + "<code>cumulative</code> rows); ★ marks the night a layer moved most.</p>");
        Map<String, Map<String, Map<Integer, Double>>> drifts = drifts(context, nights);
        for (Map.Entry<String, Map<String, Map<Integer, Double>>> measure : drifts.entrySet()) {
            html.append("<h4>Δ ").append(Html.text(measure.getKey())).append("</h4>")
                    .append(driftTable(measure.getValue()));
        }
        return SectionBody.of(html.toString());
    }

    /** The lineage's succeeded nights up to the reported one, the newest run of each date, oldest first. */
    private static List<Row> nights(ReportContext context, String lineage) {
        String upTo = context.run().getAs(TableSchemas.RUN_DATE);
        Map<String, Row> newestByDate = new TreeMap<>();
        for (Row run : context.store().read(TableSchemas.RUNS)
                .where(col("lineage").equalTo(lineage).and(col("status").equalTo(RunRecord.SUCCEEDED))
                        .and(col(TableSchemas.RUN_DATE).leq(upTo)))
                .orderBy(col("finished_at")).collectAsList()) {
            newestByDate.put(run.getAs(TableSchemas.RUN_DATE), run);
        }
        return new ArrayList<>(newestByDate.values());
    }

    /** Per measure, per night (from the second), per layer: Δ median, night's run scope − previous cumulative. */
    private static Map<String, Map<String, Map<Integer, Double>>> drifts(ReportContext context, List<Row> nights) {
        Map<String, Map<String, Map<Integer, Double>>> drifts = new LinkedHashMap<>();
        for (int n = 1; n < nights.size(); n++) {
            String date = nights.get(n).getAs(TableSchemas.RUN_DATE);
            String night = nights.get(n).getAs("run_id");
            String before = nights.get(n - 1).getAs("run_id");
            if (context.hasTable(TableSchemas.SPHERE_STATS)) {
                SphereStats mine = SphereStats.read(context, night, TableSchemas.SCOPE_RUN);
                SphereStats earlier = SphereStats.read(context, before, TableSchemas.SCOPE_CUMULATIVE);
                for (LayerMeasure measure : SPHERE) {
                    drifts.computeIfAbsent(measure.label(), k -> new LinkedHashMap<>())
                            .put(date, difference(medians(mine, measure), medians(earlier, measure)));
                }
            }
            if (context.hasTable(TableSchemas.HEAD_STATS)) {
                Map<Integer, Double> entropy = difference(entropies(context, night, TableSchemas.SCOPE_RUN),
                        entropies(context, before, TableSchemas.SCOPE_CUMULATIVE));
                if (!entropy.isEmpty()) {
                    drifts.computeIfAbsent(HEAD_ENTROPY, k -> new LinkedHashMap<>()).put(date, entropy);
                }
            }
        }
        return drifts;
    }

    private static Map<Integer, Double> medians(SphereStats stats, LayerMeasure measure) {
        Map<Integer, Double> byLayer = new TreeMap<>();
        stats.perLayer(measure.metric(), measure.site()).forEach(stat -> byLayer.put(stat.layer(), stat.p50()));
        return byLayer;
    }

    /** Per layer, the mean over its heads of the median attention entropy over query positions t ≥ 1. */
    private static Map<Integer, Double> entropies(ReportContext context, String runId, String scope) {
        Map<Integer, Double> byLayer = new TreeMap<>();
        for (Row row : context.rows(TableSchemas.HEAD_STATS, runId, scope)
                .where(col("metric").equalTo("entropy").and(col("position_bucket").equalTo("all"))
                        .and(col("count").gt(0)))
                .groupBy("layer").agg(avg("p50")).collectAsList()) {
            byLayer.put(row.getInt(0), row.getDouble(1));
        }
        return byLayer;
    }

    private static Map<Integer, Double> difference(Map<Integer, Double> now, Map<Integer, Double> before) {
        Map<Integer, Double> delta = new TreeMap<>();
        now.forEach((layer, value) -> {
            Double earlier = before.get(layer);
            if (earlier != null) {
                delta.put(layer, value - earlier);
            }
        });
        return delta;
    }

    /** Nights as rows, layers as columns; in each column the largest |Δ| carries ★. */
    private static String driftTable(Map<String, Map<Integer, Double>> byNight) {
        TreeSet<Integer> layers = new TreeSet<>();
        byNight.values().forEach(d -> layers.addAll(d.keySet()));
        Map<Integer, String> mostMoved = new TreeMap<>();
        for (int layer : layers) {
            double largest = -1;
            for (Map.Entry<String, Map<Integer, Double>> night : byNight.entrySet()) {
                Double delta = night.getValue().get(layer);
                if (delta != null && Math.abs(delta) > largest) {
                    largest = Math.abs(delta);
                    mostMoved.put(layer, night.getKey());
                }
            }
        }
        List<String> headers = new ArrayList<>(List.of("night"));
        layers.forEach(layer -> headers.add("layer " + layer));
        HtmlTable table = new HtmlTable(headers).cssClass("data numbers");
        for (Map.Entry<String, Map<Integer, Double>> night : byNight.entrySet()) {
            List<String> cells = new ArrayList<>(List.of(Html.text(night.getKey())));
            for (int layer : layers) {
                Double delta = night.getValue().get(layer);
                boolean flagged = night.getKey().equals(mostMoved.get(layer)) && byNight.size() > 1;
                cells.add(flagged ? "<strong>" + Html.num(delta) + " ★</strong>" : Html.num(delta));
            }
            table.row(cells.toArray(String[]::new));
        }
        return table.html();
    }
}
