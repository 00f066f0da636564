package org.travelingwords.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.travelingwords.report.SphereStats.Stat;

/**
 * {@code radius_error} = ‖x̂‖ − √D shown as what it is: a check that LayerNorm puts every residual on
 * the sphere of radius √D (DESIGN §4). It should be ≈ 0 everywhere.
 */
final class RadiusCheck {

    /**
     * Largest |‖x̂‖ − √D| that still counts as on the sphere: float32 rounding gives ~1e-5, and LN's ε
     * shrinks x̂ by ~ε/(2σ²), about 0.01 for GPT-2's smallest residuals; a real violation is far larger.
     */
    static final double TOLERANCE = 0.05;

    private final List<Stat> stats;

    RadiusCheck(List<Stat> stats) {
        this.stats = stats;
    }

    String html() {
        if (stats.isEmpty()) {
            return "";
        }
        Stat worst = stats.get(0);
        for (Stat stat : stats) {
            if (reach(stat) > reach(worst)) {
                worst = stat;
            }
        }
        boolean holds = reach(worst) <= TOLERANCE;
        String where = "layer " + worst.layer() + ", " + Html.text(worst.site()) + ", positions "
                + Html.text(worst.bucket());
        String size = String.format(Locale.ROOT, "%.2g", reach(worst));
        StringBuilder html = new StringBuilder("<h3>The radius check</h3>");
        html.append("<p class=\"check ").append(holds ? "pass\">✓ On the sphere: |‖x̂‖ − √D| is at most " + size
                        + " over every token, layer and site (largest at " + where + ")"
                        : "fail\">✗ Off the sphere: |‖x̂‖ − √D| reaches " + size + " at " + where)
                .append("; tolerance ").append(TOLERANCE).append(".</p>");
        HtmlTable table = new HtmlTable("site", "min over layers", "max over layers");
        for (Map.Entry<String, double[]> site : rangeBySite().entrySet()) {
            table.row(Html.text(site.getKey()), Html.num(site.getValue()[0]), Html.num(site.getValue()[1]));
        }
        return html.append(table.cssClass("data narrow").html()).toString();
    }

    private Map<String, double[]> rangeBySite() {
        Map<String, double[]> ranges = new LinkedHashMap<>();
        for (Stat stat : stats) {
            double[] range = ranges.computeIfAbsent(stat.site(),
                    site -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
            range[0] = Math.min(range[0], stat.min());
            range[1] = Math.max(range[1], stat.max());
        }
        return ranges;
    }

    private static double reach(Stat stat) {
        return Math.max(Math.abs(stat.min()), Math.abs(stat.max()));
    }
}
