package org.travelingwords.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.AxesChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn by XChart into PNG bytes, in one consistent style. */
final class Charts {

    static final int WIDTH = 560;
    static final int HEIGHT = 340;
    /** Bitmaps are drawn at twice their CSS size so they stay sharp on dense screens and on paper. */
    private static final int PIXEL_DENSITY = 2;

    /**
     * Okabe–Ito: distinguishable with every common colour-vision deficiency, and in greyscale print
     * (its yellow left out: too pale for lines on white or for white labels).
     */
    static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000),
    };

    /** Low to high, for values with no natural middle; its dark end stays light enough for cell labels. */
    private static final Color[] SEQUENTIAL = {
        new Color(0xFFFFD9), new Color(0xC7E9B4), new Color(0x7FCDBB), new Color(0x41B6C4), new Color(0x2C7FB8),
    };
    /** Negative (blue) through zero (white) to positive (red), for signed values centred on 0. */
    private static final Color[] DIVERGING = {
        new Color(0x4393C3), new Color(0x92C5DE), new Color(0xF7F7F7), new Color(0xF4A582), new Color(0xD6604D),
    };
    private static final Font BASE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    /** Heat maps print each cell's value only while the cells are big enough to read it. */
    private static final int MAX_CELLS_WITH_VALUES = 160;
    /** More category labels than this on a heat map's x axis are tilted so they do not run into each other. */
    private static final int LABELS_UPRIGHT = 8;

    private Charts() {}

    /** A named curve: its median and the band between two outer quantiles, over x. */
    record Band(String name, double[] x, double[] low, double[] median, double[] high) {}

    /** How a heat map's values map to colours. */
    enum ColourScale { SEQUENTIAL, DIVERGING }

    /** Median lines over shaded bands, one colour per band. */
    static byte[] bands(String xTitle, String yTitle, List<Band> bands) throws IOException {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        style(chart, xTitle, yTitle);
        chart.getStyler().setLegendVisible(bands.size() > 1);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        for (int i = 0; i < bands.size(); i++) {
            Band band = bands.get(i);
            Color colour = PALETTE[i % PALETTE.length];
            XYSeries area = chart.addSeries(band.name() + " p05–p95", outline(band.x(), band.x()),
                    outline(band.low(), band.high()));
            area.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
            area.setFillColor(translucent(colour));
            area.setLineColor(translucent(colour));
            area.setMarker(SeriesMarkers.NONE);
            area.setShowInLegend(false);
            XYSeries median = chart.addSeries(band.name(), band.x(), band.median());
            median.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            median.setLineColor(colour);
            median.setMarkerColor(colour);
            median.setMarker(SeriesMarkers.CIRCLE);
            median.setLineStyle(new BasicStroke(2f));
        }
        return png(chart);
    }

    /**
     * A grid of values, {@code values[y][x]} (null: no cell). Diverging scales are centred on 0 so
     * the sign reads from the colour.
     */
    static byte[] heatMap(String name, String xTitle, String yTitle, List<String> xLabels, List<String> yLabels,
                          Double[][] values, ColourScale scale) throws IOException {
        // The theme constructor: XChart 4.0.3's (width, height) one leaves the heat map styler unset.
        HeatMapChart chart = new HeatMapChart(WIDTH, HEIGHT, Styler.ChartTheme.XChart);
        style(chart, xTitle, yTitle);
        List<Number[]> cells = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[y].length; x++) {
                Double value = values[y][x];
                if (value != null && !value.isNaN()) {
                    cells.add(new Number[] {x, y, value});
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        if (cells.isEmpty()) {
            min = 0;
            max = 1;
        }
        if (scale == ColourScale.DIVERGING) {
            double reach = Math.max(Math.abs(min), Math.abs(max));
            min = -reach;
            max = reach;
        }
        if (max - min < 1e-12) {
            max = min + 1;   // one value everywhere still needs a range to colour
        }
        int decimals = decimalsFor(Math.max(Math.abs(min), Math.abs(max)));
        // XChart 4.0.3 indexes past its colours for a value exactly at the range's end: keep ends outside.
        double nudge = Math.pow(10, -decimals - 2);
        chart.getStyler()
                .setRangeColors(scale == ColourScale.DIVERGING ? DIVERGING : SEQUENTIAL)
                .setMin(rounded(min - nudge, decimals))
                .setMax(rounded(max + nudge, decimals))
                .setShowValue(cells.size() <= MAX_CELLS_WITH_VALUES)
                .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10))
                .setValueFontColor(Color.DARK_GRAY)
                .setHeatMapValueDecimalPattern(decimals == 0 ? "0" : "0." + "0".repeat(decimals))
                .setLegendPosition(Styler.LegendPosition.OutsideE);
        // Every row and column labelled: heat map axes are categories, not a numeric scale to thin out.
        chart.getStyler().setXAxisTickMarkSpacingHint(1);
        chart.getStyler().setYAxisTickMarkSpacingHint(1);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.addSeries(name, xLabels, yLabels, cells);
        return png(chart);
    }

    /**
     * A grid of categories, {@code categories[y][x]} an index into {@code colours} (null: no cell), each
     * cell labelled with its index; the page gives the legend, which may need more room than a chart has.
     */
    static byte[] categoryMap(String xTitle, String yTitle, List<String> xLabels, List<String> yLabels,
                              Integer[][] categories, Color[] colours) throws IOException {
        HeatMapChart chart = new HeatMapChart(WIDTH, HEIGHT, Styler.ChartTheme.XChart);
        style(chart, xTitle, yTitle);
        List<Number[]> cells = new ArrayList<>();
        for (int y = 0; y < categories.length; y++) {
            for (int x = 0; x < categories[y].length; x++) {
                if (categories[y][x] != null) {
                    cells.add(new Number[] {x, y, categories[y][x]});
                }
            }
        }
        // Piecewise with one piece per category: each index gets exactly its colour.
        chart.getStyler()
                .setPiecewise(true)
                .setSplitNumber(colours.length)
                .setRangeColors(colours)
                .setMin(-0.5)
                .setMax(colours.length - 0.5)
                .setShowValue(cells.size() <= MAX_CELLS_WITH_VALUES)
                .setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10))
                .setValueFontColor(Color.WHITE)
                .setHeatMapValueDecimalPattern("0");
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setXAxisTickMarkSpacingHint(1);
        chart.getStyler().setYAxisTickMarkSpacingHint(1);
        chart.addSeries("categories", xLabels, yLabels, cells);
        return png(chart);
    }

    /** {@code n} colours that tell categories apart: the palette while it lasts, then evenly spaced hues. */
    static Color[] categoryColours(int n) {
        Color[] colours = new Color[n];
        for (int i = 0; i < n; i++) {
            colours[i] = n <= PALETTE.length ? PALETTE[i] : Color.getHSBColor((float) i / n, 0.6f, 0.75f);
        }
        return colours;
    }

    /** Enough decimals to tell values of this size apart at three significant digits (1.25, 0.0421). */
    private static int decimalsFor(double magnitude) {
        if (magnitude <= 0) {
            return 2;
        }
        return Math.max(0, Math.min(6, 2 - (int) Math.floor(Math.log10(magnitude))));
    }

    /** The legend prints its end values as they are: rounded outward, so they read cleanly. */
    private static double rounded(double value, int decimals) {
        return new BigDecimal(value).setScale(decimals, value < 0 ? RoundingMode.FLOOR : RoundingMode.CEILING)
                .doubleValue();
    }

    /** The x values forward then backward, so {@code low} then reversed {@code high} outline the band. */
    private static double[] outline(double[] forward, double[] backward) {
        int n = forward.length;
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            out[i] = forward[i];
            out[2 * n - 1 - i] = backward[i];
        }
        return out;
    }

    private static Color translucent(Color colour) {
        return new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 48);
    }

    private static <S extends AxesChartStyler> void style(AxesChart<S, ?> chart, String xTitle, String yTitle) {
        chart.setXAxisTitle(xTitle == null ? "" : xTitle);
        chart.setYAxisTitle(yTitle == null ? "" : yTitle);
        S styler = chart.getStyler();
        styler.setChartTitleVisible(false);   // the figure caption carries the title, in the page's font
        styler.setBaseFont(BASE_FONT);
        styler.setAxisTitleFont(BASE_FONT);
        styler.setAxisTickLabelsFont(BASE_FONT);
        styler.setLegendFont(BASE_FONT);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.LIGHT_GRAY);
        styler.setPlotGridLinesColor(new Color(0xE5E5E5));
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setAntiAlias(true);
        styler.setTextAntiAlias(true);
        styler.setXAxisTitleVisible(xTitle != null);
        styler.setYAxisTitleVisible(yTitle != null);
        styler.setChartPadding(8);
        styler.setPlotMargin(4);
    }

    /** The chart as PNG bytes at {@link #PIXEL_DENSITY} device pixels per CSS pixel. */
    static byte[] png(Chart<?, ?> chart) throws IOException {
        BufferedImage image = new BufferedImage(chart.getWidth() * PIXEL_DENSITY, chart.getHeight() * PIXEL_DENSITY,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.scale(PIXEL_DENSITY, PIXEL_DENSITY);
            chart.paint(graphics, chart.getWidth(), chart.getHeight());
        } finally {
            graphics.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return bytes.toByteArray();
    }
}
