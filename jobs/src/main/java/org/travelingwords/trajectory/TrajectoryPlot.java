package org.travelingwords.trajectory;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.travelingwords.probes.VocabularyFrame;
import org.travelingwords.probes.WordTrajectory;
import org.travelingwords.text.TokenText;

/**
 * The paper's trajectory figure for one phrase, as a PNG: every token's path LNf(x) across the stages
 * (embedding, embedding + position, each block's output) drawn over the vocabulary cloud LN(E), in
 * the {@link VocabularyFrame}'s axes: PC1 × PC2 on the left, PC1 × PC3 on the right. A path starts at
 * a diamond labelled "position 'token'" and ends labelled "position → 'the lens's top token there'".
 */
final class TrajectoryPlot {

    static {
        System.setProperty("java.awt.headless", "true");        // drawn on servers without a display
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 760;
    private static final Color CLOUD = new Color(120, 120, 120, 45);
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22), new Color(0x7f7f7f)};

    private TrajectoryPlot() {}

    static byte[] png(PhraseTrace trace, VocabularyFrame frame, String modelId) throws IOException {
        List<XYChart> panels = List.of(panel(trace, frame, modelId, 1), panel(trace, frame, modelId, 2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(panels, 1, 2, out, BitmapEncoder.BitmapFormat.PNG);
        return out.toByteArray();
    }

    /** PC1 against PC{second + 1}. */
    private static XYChart panel(PhraseTrace trace, VocabularyFrame frame, String modelId, int second) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("\"" + trace.phrase().text() + "\" (" + modelId + ")")
                .xAxisTitle(axisTitle(frame, 0)).yAxisTitle(axisTitle(frame, second)).build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setMarkerSize(5);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));

        float[] cloud = frame.cloud();
        int vocab = cloud.length / VocabularyFrame.DIMENSIONS;
        double[] cx = new double[vocab];
        double[] cy = new double[vocab];
        for (int v = 0; v < vocab; v++) {
            cx[v] = cloud[v * VocabularyFrame.DIMENSIONS];
            cy[v] = cloud[v * VocabularyFrame.DIMENSIONS + second];
        }
        XYSeries vocabulary = chart.addSeries("vocabulary LN(E)", cx, cy);
        vocabulary.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        vocabulary.setMarker(SeriesMarkers.CIRCLE);
        vocabulary.setMarkerColor(CLOUD);

        for (List<WordTrajectory.Point> path : paths(trace)) {
            WordTrajectory.Point first = path.get(0);
            WordTrajectory.Point last = path.get(path.size() - 1);
            double[] x = new double[path.size()];
            double[] y = new double[path.size()];
            for (int s = 0; s < path.size(); s++) {
                x[s] = path.get(s).x();
                y[s] = second == 1 ? path.get(s).y() : path.get(s).z();
            }
            Color color = PALETTE[first.position() % PALETTE.length];
            XYSeries series = chart.addSeries(first.position() + ": " + TokenText.quoted(first.tokenId()), x, y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setLineColor(color);
            series.setLineWidth(2f);
            series.setLineStyle(new BasicStroke(2f));
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setMarkerColor(color);
            XYSeries start = chart.addSeries("start of " + first.position(), new double[] {x[0]}, new double[] {y[0]});
            start.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            start.setMarker(SeriesMarkers.DIAMOND);
            start.setMarkerColor(color);
            start.setShowInLegend(false);
            // Labels carry the position so that start, end and legend pair up in a crowded picture.
            chart.addAnnotation(new AnnotationText(first.position() + " " + TokenText.quoted(first.tokenId()), x[0], y[0],
                    false));
            chart.addAnnotation(new AnnotationText(first.position() + " → " + TokenText.quoted(last.topTokenIds()[0]),
                    x[x.length - 1], y[y.length - 1], false));
        }
        return chart;
    }

    private static String axisTitle(VocabularyFrame frame, int axis) {
        return String.format(Locale.ROOT, "PC%d of LN(E) (variance %.3g)", axis + 1, frame.variances()[axis]);
    }

    /** The points of each position, in stage order (trace points are position-major). */
    private static List<List<WordTrajectory.Point>> paths(PhraseTrace trace) {
        List<List<WordTrajectory.Point>> paths = new ArrayList<>();
        for (WordTrajectory.Point p : trace.points()) {
            if (p.stageIndex() == 0) {
                paths.add(new ArrayList<>());
            }
            paths.get(paths.size() - 1).add(p);
        }
        return paths;
    }
}
