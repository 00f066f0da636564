package org.travelingwords.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.travelingwords.catalog.TableSchemas;
import org.travelingwords.report.Charts.Band;
import org.travelingwords.report.SphereStats.Point;
import org.travelingwords.report.SphereStats.Stat;

/**
 * The sphere (DESIGN §4): per-layer curves of the residual's geometry, the radius check, the
 * logit-lens refinement over layer × position, and the words that travel farthest.
 */
final class SphereSection extends ReportSection {

    /** Where the stream is drawn: l is resid_pre(l), l + ½ resid_mid(l), l + 1 resid_post(l). */
    static final String STREAM_AXIS = "layer (l: resid_pre, l + ½: after attention, l + 1: after the MLP)";

    SphereSection() {
        super("sphere", "The sphere");
    }

    @Override
    public SectionBody render(ReportContext context) throws IOException {
        Optional<String> missing = context.missing(TableSchemas.SPHERE_STATS);
        if (missing.isPresent()) {
            return SectionBody.absent(missing.get());
        }
        SphereStats stats = SphereStats.read(context, context.runId());
        StringBuilder html = new StringBuilder();
        html.append("<p>Each curve is the per-layer median over every token but the first of its window "
                + "(the outlier position 0); the band spans p05–p95. Angles are in radians.</p>");
        html.append("<div class=\"figures\">");
        streamFigure(html, stats, "norm", "norm ‖x‖", "<code>norm</code>: the residual's length along the stream");
        streamFigure(html, stats, "scale", "scale σ", "<code>scale</code>: σ, what LayerNorm divides by");
        stepAngles(html, stats);
        layerFigure(html, stats, "layer_angle", SphereStats.RESID_POST, "resid_pre(l) to resid_post(l)",
                "<code>layer_angle</code>: how far a whole block moves a token");
        streamFigure(html, stats, "embed_angle", "angle from the embedding",
                "<code>embed_angle</code>: the distance travelled from the embedding");
        refinement(html, stats);
        html.append("</div>");
        html.append(new RadiusCheck(stats.everywhere("radius_error")).html());
        html.append(new FarthestWords(context).html());
        return SectionBody.of(html.toString());
    }

    private static void streamFigure(StringBuilder html, SphereStats stats, String metric, String yTitle,
                                     String caption) throws IOException {
        List<Point> points = stats.alongStream(metric);
        if (!points.isEmpty()) {
            byte[] png = Charts.bands(STREAM_AXIS, yTitle, List.of(SphereStats.band(metric, points)));
            html.append(Html.figure(Html.png(png, metric + " per layer", Charts.WIDTH), caption));
        }
    }

    private static void layerFigure(StringBuilder html, SphereStats stats, String metric, String site,
                                    String yTitle, String caption) throws IOException {
        List<Stat> perLayer = stats.perLayer(metric, site);
        if (!perLayer.isEmpty()) {
            byte[] png = Charts.bands("layer", yTitle, List.of(SphereStats.band(metric, SphereStats.atLayers(perLayer))));
            html.append(Html.figure(Html.png(png, metric + " per layer", Charts.WIDTH), caption));
        }
    }

    /** Attention's move (at resid_mid) and the MLP's (at resid_post), side by side per layer. */
    private static void stepAngles(StringBuilder html, SphereStats stats) throws IOException {
        List<Band> bands = new ArrayList<>();
        List<Stat> attention = stats.perLayer("step_angle", SphereStats.RESID_MID);
        List<Stat> mlp = stats.perLayer("step_angle", SphereStats.RESID_POST);
        if (!attention.isEmpty()) {
            bands.add(SphereStats.band("attention", SphereStats.atLayers(attention)));
        }
        if (!mlp.isEmpty()) {
            bands.add(SphereStats.band("MLP", SphereStats.atLayers(mlp)));
        }
        if (!bands.isEmpty()) {
            byte[] png = Charts.bands("layer", "angle of the step", bands);
            html.append(Html.figure(Html.png(png, "step_angle per layer", Charts.WIDTH),
                    "<code>step_angle</code>: how far attention and the MLP each move a token"));
        }
    }

    /** Mean log_ratio over layer × position bucket: the logit lens refining the next word layer by layer. */
    private static void refinement(StringBuilder html, SphereStats stats) throws IOException {
        List<Stat> cells = stats.perBucket("log_ratio", SphereStats.RESID_POST);
        if (cells.isEmpty()) {
            return;
        }
        List<String> buckets = cells.stream().map(Stat::bucket).distinct()
                .sorted(Comparator.comparingInt(SphereSection::bucketStart)).toList();
        int layers = cells.stream().mapToInt(Stat::layer).max().orElse(0) + 1;
        Double[][] means = new Double[layers][buckets.size()];
        for (Stat cell : cells) {
            means[cell.layer()][buckets.indexOf(cell.bucket())] = cell.mean();
        }
        List<String> layerLabels = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            layerLabels.add(Integer.toString(layer));
        }
        byte[] png = Charts.heatMap("mean log_ratio", "position bucket", "layer", buckets, layerLabels, means,
                Charts.ColourScale.DIVERGING);
        html.append(Html.figure(Html.png(png, "mean log_ratio over layer and position", Charts.WIDTH),
                "Iterative refinement: mean <code>log_ratio</code> (log p(next) − log p(current) under the logit "
                        + "lens) per layer and position bucket"));
    }

    /** Buckets are "0", "1", "2-3", "4-7", …: order by their first position. */
    private static int bucketStart(String bucket) {
        int dash = bucket.indexOf('-');
        return Integer.parseInt(dash < 0 ? bucket : bucket.substring(0, dash));
    }
}
