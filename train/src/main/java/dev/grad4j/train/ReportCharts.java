package dev.grad4j.train;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The report's charts, drawn off-screen by XChart: one look for all of them (white background,
 * light grid, legend below the plot, ticks at whole epochs, log axes ticked by decade), series that
 * skip the values a chart cannot show, and horizontal reference bands and lines.
 */
final class ReportCharts {

    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    static final Color TRAIN = new Color(31, 119, 180);
    static final Color VALIDATION = new Color(255, 127, 14);
    static final Color HEALTHY = new Color(44, 160, 44);
    static final Color DANGER = new Color(214, 39, 40);
    static final Color REFERENCE = new Color(90, 90, 90);
    /** Line colours, one per layer (matplotlib's, less the green and red that mark bands and thresholds). */
    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(148, 103, 189),
            new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34),
            new Color(23, 190, 207), new Color(0, 0, 128), new Color(128, 128, 0)};
    static final BasicStroke SOLID = new BasicStroke(2f);
    static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[]{7f, 4f}, 0f);

    private ReportCharts() {
    }

    /** A line chart with the report's look. */
    static XYChart chart(String title, String xTitle, String yTitle, int width, int height) {
        XYChart c = new XYChart(width, height);
        c.setTitle(title);
        c.setXAxisTitle(xTitle);
        c.setYAxisTitle(yTitle);
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(200, 200, 200));
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setLegendBorderColor(Color.WHITE);
        s.setChartPadding(12);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarkerSize(5);
        s.setAntiAlias(true);
        s.setToolTipsEnabled(false);
        s.setSeriesColors(PALETTE);
        return c;
    }

    /** Labels whole numbers only ({@code 3}, not {@code 2.5}). */
    static String whole(Double v) {
        return v == Math.rint(v) ? Long.toString(v.longValue()) : "";
    }

    /** A tick label with at most three significant digits and no trailing zeros ({@code -0.25}, {@code 1.5e-4}). */
    static String tick(Double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : v.toString();
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros();
        double a = Math.abs(v);
        return a >= 1e-3 && a < 1e5 ? d.toPlainString() : d.toString().replace("E", "e").replace("e+", "e");
    }

    /** A chart over epochs {@code 1..n}, with a tick at whole epochs only. */
    static XYChart epochChart(String title, String yTitle, int epochs, int width, int height) {
        XYChart c = chart(title, "epoch", yTitle, width, height);
        XYStyler s = c.getStyler();
        s.setxAxisTickLabelsFormattingFunction(ReportCharts::whole);
        s.setXAxisMin(epochs == 1 ? 0.0 : 1.0);
        s.setXAxisMax(epochs == 1 ? 2.0 : epochs);
        return c;
    }

    /** A logarithmic y axis, ticks at each decade. */
    static void logY(XYChart c) {
        XYStyler s = c.getStyler();
        s.setYAxisLogarithmic(true);
        s.setYAxisLogarithmicDecadeOnly(true);
    }

    /**
     * Adds a line of {@code y} against epochs {@code 1..n}, leaving out the values the chart cannot
     * show (NaN, infinite; zero or negative on a log axis). Returns false, adding nothing, when no
     * value is left.
     */
    static boolean line(XYChart c, String name, double[] y, Color color, boolean markers) {
        return line(c, name, y, color, SOLID, markers);
    }

    static boolean line(XYChart c, String name, double[] y, Color color, BasicStroke stroke, boolean markers) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = i + 1;
        }
        boolean log = c.getStyler().isYAxisLogarithmic();
        double[] shown = new double[y.length];
        boolean any = false;
        for (int i = 0; i < y.length; i++) {
            boolean ok = Double.isFinite(y[i]) && (!log || y[i] > 0);
            shown[i] = ok ? y[i] : Double.NaN;
            any |= ok;
        }
        if (!any) {
            return false;
        }
        XYSeries s = c.addSeries(name, x, shown);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setLineStyle(stroke);
        s.setLineColor(color);
        s.setMarkerColor(color);
        return true;
    }

    /** The smallest and largest value {@link #line} would show of {@code values}, or null if none. */
    static double[] range(Iterable<double[]> values, boolean log) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] vs : values) {
            for (double v : vs) {
                if (Double.isFinite(v) && (!log || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return lo > hi ? null : new double[]{lo, hi};
    }

    /** A shaded horizontal band between {@code lo} and {@code hi}, labelled at its top right. */
    static void band(XYChart c, double lo, double hi, Color color, String label) {
        c.addAnnotation(new Band(lo, hi, color, label));
    }

    /** A dashed horizontal line at {@code y}, labelled above its right end. */
    static void hline(XYChart c, double y, Color color, String label) {
        c.addAnnotation(new Band(y, y, color, label));
    }

    /** A line of text in the middle of the plot, for a chart with nothing to draw. */
    static void message(XYChart c, String text) {
        c.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.ITALIC, 14));
        c.getStyler().setAnnotationTextFontColor(REFERENCE);
        c.addAnnotation(new AnnotationText(text, c.getWidth() / 2.0, c.getHeight() / 2.0, true));
    }

    /** The chart as an image of its size. */
    static BufferedImage image(XYChart c) {
        return BitmapEncoder.getBufferedImage(c);
    }

    /** Charts of one size side by side, {@code columns} per row, under a title, on a white background. */
    static BufferedImage grid(String title, List<XYChart> charts, int columns) {
        int w = charts.get(0).getWidth();
        int h = charts.get(0).getHeight();
        int rows = (charts.size() + columns - 1) / columns;
        int top = 36;
        BufferedImage img = new BufferedImage(w * columns, top + h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (img.getWidth() - fm.stringWidth(title)) / 2, 12 + fm.getAscent());
            for (int i = 0; i < charts.size(); i++) {
                Graphics2D cell = (Graphics2D) g.create((i % columns) * w, top + (i / columns) * h, w, h);
                try {
                    charts.get(i).paint(cell, w, h);
                } finally {
                    cell.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** A horizontal band (or, when {@code lo == hi}, a dashed line) across the plot, clipped to it. */
    private static final class Band extends Annotation {
        private final double lo;
        private final double hi;
        private final Color color;
        private final String label;

        Band(double lo, double hi, Color color, String label) {
            super(false);
            this.lo = lo;
            this.hi = hi;
            this.color = color;
            this.label = label;
        }

        @Override
        public void paint(Graphics2D g) {
            if (!isVisible) {
                return;
            }
            // the plot's edges in pixels (which of "for min" and "for max" is which edge varies by axis)
            int left = Math.min(getXAxisScreenValueForMin(), getXAxisScreenValueForMax());
            int right = Math.max(getXAxisScreenValueForMin(), getXAxisScreenValueForMax());
            int top = Math.min(getYAxisScreenValueForMin(), getYAxisScreenValueForMax());
            int bottom = Math.max(getYAxisScreenValueForMin(), getYAxisScreenValueForMax());
            int yHi = getYAxisScreenValue(hi);
            int yLo = getYAxisScreenValue(lo);
            if (yHi > bottom || yLo < top) {
                return;  // outside the plot
            }
            yHi = Math.max(yHi, top);
            yLo = Math.min(yLo, bottom);
            Graphics2D g2 = (Graphics2D) g.create();
            try {
                g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                if (lo == hi) {
                    g2.setColor(color);
                    g2.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            new float[]{8f, 5f}, 0f));
                    g2.drawLine(left, yLo, right, yLo);
                } else {
                    g2.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 38));
                    g2.fillRect(left, yHi, right - left, yLo - yHi);
                    g2.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 110));
                    g2.setStroke(new BasicStroke(1f));
                    g2.drawLine(left, yHi, right, yHi);
                    g2.drawLine(left, yLo, right, yLo);
                }
                if (label != null) {
                    g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                    FontMetrics fm = g2.getFontMetrics();
                    g2.setColor(color.darker());
                    int x = right - fm.stringWidth(label) - 6;
                    int y = lo == hi ? yLo - 4 : yHi + fm.getAscent() + 3;
                    if (y - fm.getAscent() < top) {
                        y = yLo + fm.getAscent() + 3;  // no room above the line: below it
                    }
                    g2.drawString(label, x, y);
                }
            } finally {
                g2.dispose();
            }
        }

        @Override
        public Rectangle2D getBounds() {
            return bounds;
        }
    }
}
