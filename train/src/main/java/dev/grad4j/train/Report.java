package dev.grad4j.train;

import dev.grad4j.api.io.AtomicFile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The training report: a folder of PNG plots drawn by XChart and an {@code index.html} that shows
 * them with the final metrics, the warnings, the model and the optimizer. It is written when
 * training ends, also when the run stopped early or failed, and opens from disk in any browser: no
 * script, no server, nothing fetched from the network.
 *
 * <ul>
 *   <li>{@code loss.png}: training and validation loss per epoch (a log scale when they span more
 *       than two decades);</li>
 *   <li>{@code accuracy.png}: training and validation accuracy (classification only);</li>
 *   <li>{@code grad_norm.png}: each parameter's gradient norm (log scale) against the healthy band
 *       0.01 to 5 and the exploding threshold;</li>
 *   <li>{@code update_ratio.png}: each parameter's {@code |Δw| / |w|} (log scale) against 1e-3;</li>
 *   <li>{@code weights_<epoch>.png}: each parameter's weight histogram at the first, middle and last epoch;</li>
 *   <li>{@code dead_units.png}: the fraction of dead units of each ReLU layer.</li>
 * </ul>
 * The per-parameter plots need gradient health (on by default). Every file is written atomically;
 * {@code index.html} last, so it only ever names plots that are there. The folder is created when
 * missing, but not its parent (a typo must not create directories): that is refused before the
 * first epoch.
 */
final class Report implements Callback {

    /** Histograms per row in a {@code weights_<epoch>.png}, and the size of one. */
    private static final int HIST_COLUMNS = 2;
    private static final int HIST_WIDTH = ReportCharts.WIDTH / HIST_COLUMNS;
    private static final int HIST_HEIGHT = 260;
    /** Above this many epochs, lines have no markers. */
    private static final int MARKERS_UP_TO = 40;
    static final double HEALTHY_LOW = 0.01;
    static final double HEALTHY_HIGH = 5;
    static final double TYPICAL_UPDATE_RATIO = 1e-3;
    static final double DEAD_WARNING = 0.5;

    /** A plot written to the folder, as the page shows it. */
    record Plot(String file, String title, String alt, String caption, int width, int height) {
    }

    private final Path dir;
    private final EarlyStopping early;
    private final double exploding;

    Report(Path dir, EarlyStopping early, double exploding) {
        this.dir = dir;
        this.early = early;
        this.exploding = exploding;
    }

    /**
     * Refuses a folder that cannot be made, before training starts: its parent missing (naming it), or
     * a file in its place.
     */
    void check() {
        Path abs = dir.toAbsolutePath();
        Path parent = abs.getParent();
        if (Files.isDirectory(abs)) {
            return;
        }
        if (Files.exists(abs)) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": it is a file, not a folder",
                    new FileAlreadyExistsException(dir.toString()));
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": the folder " + parent
                    + " does not exist", new NoSuchFileException(String.valueOf(parent)));
        }
    }

    @Override
    public void onTrainEnd(FitState run) {
        try {
            write(run);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    private void write(FitState run) throws IOException {
        check();
        Files.createDirectories(dir);
        headless();  // before anything touches AWT, ReportCharts' colours included
        List<EpochRecord> h = run.history();
        List<Plot> plots = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!h.isEmpty()) {
            draw("the loss", notes, () -> loss(h, plots));
            draw("the accuracy", notes, () -> accuracy(h, plots));
            if (h.stream().anyMatch(r -> !r.parameters().isEmpty())) {
                draw("the gradient norms", notes, () -> gradNorm(h, plots));
                draw("the update ratios", notes, () -> updateRatio(h, plots));
                draw("the weight histograms", notes, () -> weights(h, plots));
            } else {
                notes.add("Gradient health was off, so there are no per-parameter plots.");
            }
            draw("the dead units", notes, () -> deadUnits(h, plots));
        }
        String html = page(run, plots, notes);
        AtomicFile.write(dir.resolve("index.html"), out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Draws without a display: sets {@code java.awt.headless} unless the program has set it. AWT reads
     * it once, the first time anything asks (loading {@code java.awt.Color} does), so this must run
     * before any AWT class is used; with a {@code DISPLAY} that cannot be reached it is what keeps
     * drawing from failing.
     */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    // ------------------------------------------------------------------ plots

    /** Draws one plot; one that cannot be drawn is named on the page, and the rest of the report still written. */
    private static void draw(String what, List<String> notes, Drawing drawing) throws IOException {
        try {
            drawing.draw();
        } catch (RuntimeException e) {
            notes.add("Could not plot " + what + ": " + e);
        }
    }

    @FunctionalInterface
    private interface Drawing {
        void draw() throws IOException;
    }

    private void loss(List<EpochRecord> h, List<Plot> plots) throws IOException {
        double[] train = series(h, EpochRecord::trainLoss);
        double[] val = series(h, EpochRecord::valLoss);
        double[] range = ReportCharts.range(List.of(train, val), false);
        boolean log = range != null && range[0] > 0 && range[1] / range[0] > 100;
        XYChart c = ReportCharts.epochChart("Loss", log ? "loss (log scale)" : "loss", h.size(), ReportCharts.WIDTH,
                ReportCharts.HEIGHT);
        if (log) {
            ReportCharts.logY(c);
            decades(c, range[0], range[1]);
        }
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        boolean markers = h.size() <= MARKERS_UP_TO;
        ReportCharts.line(c, "training", train, ReportCharts.TRAIN, markers);
        ReportCharts.line(c, "validation", val, ReportCharts.VALIDATION, markers);
        boolean validation = ReportCharts.range(List.of(val), log) != null;
        save(plots, c, "loss.png", "Loss", validation ? "Training and validation loss per epoch"
                        : "Training loss per epoch",
                "The training loss is the mean over the epoch's batches" + (validation ? "; the validation loss is "
                        + "measured at the epoch's end, in evaluation mode." : " (no validation data).")
                        + (log ? " Log scale: the loss spans more than two decades." : ""));
    }

    private void accuracy(List<EpochRecord> h, List<Plot> plots) throws IOException {
        double[] train = series(h, r -> 100 * r.trainAccuracy());
        double[] val = series(h, r -> 100 * r.valAccuracy());
        if (ReportCharts.range(List.of(train, val), false) == null) {
            return;  // a regression
        }
        XYChart c = ReportCharts.epochChart("Accuracy", "accuracy (%)", h.size(), ReportCharts.WIDTH,
                ReportCharts.HEIGHT);
        c.getStyler().setYAxisMax(100.0);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        boolean markers = h.size() <= MARKERS_UP_TO;
        ReportCharts.line(c, "training", train, ReportCharts.TRAIN, markers);
        ReportCharts.line(c, "validation", val, ReportCharts.VALIDATION, markers);
        boolean validation = ReportCharts.range(List.of(val), false) != null;
        save(plots, c, "accuracy.png", "Accuracy", validation ? "Training and validation accuracy per epoch"
                        : "Training accuracy per epoch",
                "Training accuracy is counted while training (dropout on)" + (validation
                        ? "; validation accuracy at the epoch's end, in evaluation mode." : " (no validation data)."));
    }

    private void gradNorm(List<EpochRecord> h, List<Plot> plots) throws IOException {
        Map<String, double[]> norms = perParameter(h, LayerStats::gradNorm);
        XYChart c = perParameterChart("Gradient norm per parameter", "gradient L2 norm (log scale)", h.size(),
                norms.size());
        ReportCharts.logY(c);
        double[] range = ReportCharts.range(norms.values(), true);
        decades(c, Math.min(range == null ? HEALTHY_LOW : range[0], HEALTHY_LOW),
                Math.max(range == null ? exploding : range[1], exploding));
        List<String> left = lines(c, norms, h.size());
        if (left.size() == norms.size()) {
            ReportCharts.message(c, "every gradient was zero: nothing to draw on a log scale");
        }
        ReportCharts.band(c, HEALTHY_LOW, HEALTHY_HIGH, ReportCharts.HEALTHY, "healthy 0.01 to 5");
        ReportCharts.hline(c, exploding, ReportCharts.DANGER, "exploding above " + ReportCharts.tick(exploding));
        String caption = "The L2 norm of each parameter's gradient, averaged over the epoch's batches (before any "
                + "clipping). Green: the healthy band 0.01 to 5; red: the exploding threshold "
                + ReportCharts.tick(exploding) + ".";
        if (!left.isEmpty()) {
            caption += " Not drawn, having no positive value (a gradient that was always zero): "
                    + String.join("; ", left) + ".";
        }
        save(plots, c, "grad_norm.png", "Gradient norm per parameter", "Gradient norm of each parameter per epoch, "
                + "log scale, with the healthy band and the exploding threshold", caption);
    }

    private void updateRatio(List<EpochRecord> h, List<Plot> plots) throws IOException {
        Map<String, double[]> ratios = perParameter(h, LayerStats::updateRatio);
        XYChart c = perParameterChart("Update/weight ratio per parameter", "|Δw| / |w| (log scale)", h.size(),
                ratios.size());
        ReportCharts.logY(c);
        double[] range = ReportCharts.range(ratios.values(), true);
        decades(c, Math.min(range == null ? TYPICAL_UPDATE_RATIO : range[0], TYPICAL_UPDATE_RATIO),
                Math.max(range == null ? TYPICAL_UPDATE_RATIO : range[1], TYPICAL_UPDATE_RATIO));
        List<String> left = lines(c, ratios, h.size());
        if (left.size() == ratios.size()) {
            ReportCharts.message(c, "no parameter changed: nothing to draw on a log scale");
        }
        ReportCharts.hline(c, TYPICAL_UPDATE_RATIO, ReportCharts.REFERENCE, "1e-3 (typical)");
        String caption = "The size of each epoch's last update relative to the weights, |Δw| / |w|. Around 1e-3 is "
                + "typical; much larger and training is unstable, much smaller and it crawls.";
        if (!left.isEmpty()) {
            caption += " Not drawn, never updated (or of zero norm): " + String.join("; ", left) + ".";
        }
        save(plots, c, "update_ratio.png", "Update/weight ratio per parameter",
                "Update to weight ratio of each parameter per epoch, log scale, with the 1e-3 reference", caption);
    }

    private void weights(List<EpochRecord> h, List<Plot> plots) throws IOException {
        List<EpochRecord> with = h.stream().filter(r -> !r.weights().isEmpty()).toList();
        if (with.isEmpty()) {
            return;
        }
        Set<EpochRecord> chosen = new LinkedHashSet<>(List.of(with.get(0), with.get((with.size() - 1) / 2),
                with.get(with.size() - 1)));
        for (EpochRecord r : chosen) {
            List<XYChart> charts = new ArrayList<>();
            for (Map.Entry<String, Histogram> e : r.weights().entrySet()) {
                charts.add(histogram(e.getKey(), e.getValue()));
            }
            int n = r.epoch() + 1;
            BufferedImage img = ReportCharts.grid("Weights at epoch " + n, charts,
                    Math.min(HIST_COLUMNS, charts.size()));
            String file = "weights_" + n + ".png";
            png(file, img);
            plots.add(new Plot(file, "Weights at epoch " + n, "Histograms of each parameter's values at epoch " + n,
                    "Each parameter's values at the end of epoch " + n + ", in " + r.weights().values().iterator().next()
                            .counts().length + " bins.", img.getWidth(), img.getHeight()));
        }
    }

    private static XYChart histogram(String name, Histogram hist) {
        XYChart c = ReportCharts.chart(name, "value", "count", HIST_WIDTH, HIST_HEIGHT);
        XYStyler s = c.getStyler();
        s.setLegendVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        s.setChartPadding(8);
        s.setYAxisMin(0.0);
        s.setyAxisTickLabelsFormattingFunction(ReportCharts::whole);
        s.setXAxisTickMarkSpacingHint(90);
        s.setxAxisTickLabelsFormattingFunction(ReportCharts::tick);
        long[] counts = hist.counts();
        double lo = hist.min();
        double hi = hist.max();
        double width = (hi - lo) / counts.length;
        if (width == 0) {
            // every value the same: one bar around it
            double half = Math.max(Math.abs(lo) * 0.05, 0.05);
            lo -= half;
            width = 2 * half / counts.length;
            long total = hist.total();
            counts = new long[counts.length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = i >= counts.length / 2 - 1 && i <= counts.length / 2 ? total : 0;
            }
            c.setTitle(name + " (all " + ReportCharts.tick(hist.max()) + ")");
        }
        double[] x = new double[2 * counts.length];
        double[] y = new double[2 * counts.length];
        for (int i = 0; i < counts.length; i++) {
            x[2 * i] = lo + i * width;
            x[2 * i + 1] = lo + (i + 1) * width;
            y[2 * i] = counts[i];
            y[2 * i + 1] = counts[i];
        }
        s.setYAxisMax(Math.max(1.0, Arrays.stream(counts).max().orElse(1)) * 1.05);
        XYSeries series = c.addSeries("values", x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(ReportCharts.TRAIN);
        series.setFillColor(new Color(31, 119, 180, 120));
        if (hist.nonFinite() > 0) {
            c.setTitle(c.getTitle() + " + " + hist.nonFinite() + " non-finite");
        }
        return c;
    }

    private void deadUnits(List<EpochRecord> h, List<Plot> plots) throws IOException {
        Map<String, double[]> dead = new LinkedHashMap<>();
        for (int i = 0; i < h.size(); i++) {
            for (Map.Entry<String, Double> e : h.get(i).deadUnits().entrySet()) {
                double[] v = dead.computeIfAbsent(e.getKey(), k -> nans(h.size()));
                v[i] = 100 * e.getValue();
            }
        }
        if (dead.isEmpty()) {
            return;
        }
        XYChart c = perParameterChart("Dead units per ReLU layer", "dead units (%)", h.size(), dead.size());
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(100.0);
        lines(c, dead, h.size());
        ReportCharts.hline(c, 100 * DEAD_WARNING, ReportCharts.DANGER, "warning above 50%");
        save(plots, c, "dead_units.png", "Dead units per ReLU layer", "Percentage of dead units of each ReLU layer "
                        + "per epoch",
                "The share of each ReLU layer's units that output zero for every row of the epoch's last batch; above "
                        + "half, the run warns of dead ReLUs.");
    }

    /** A log axis from the decade below {@code lo} to the decade above {@code hi}, with a little room. */
    private static void decades(XYChart c, double lo, double hi) {
        c.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lo / 1.5))));
        c.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(hi * 1.5))));
    }

    private static XYChart perParameterChart(String title, String yTitle, int epochs, int lines) {
        // the legend lists one parameter per line below the plot: the image grows with it
        int height = ReportCharts.HEIGHT + 18 * Math.max(0, lines - 4);
        return ReportCharts.epochChart(title, yTitle, epochs, ReportCharts.WIDTH, height);
    }

    /**
     * Draws each series, one colour per layer: a layer's first parameter (the weight) solid, the
     * others (the bias) dashed. Returns the names of those with nothing to draw.
     */
    private static List<String> lines(XYChart c, Map<String, double[]> series, int epochs) {
        List<String> left = new ArrayList<>();
        Map<String, Integer> layers = new LinkedHashMap<>();
        series.forEach((name, v) -> {
            int comma = name.lastIndexOf(", ");
            String layer = comma < 0 ? name : name.substring(0, comma);
            boolean first = !layers.containsKey(layer);
            int i = layers.computeIfAbsent(layer, k -> layers.size());
            Color color = ReportCharts.PALETTE[i % ReportCharts.PALETTE.length];
            if (!ReportCharts.line(c, name, v, color, first ? ReportCharts.SOLID : ReportCharts.DASHED,
                    epochs <= MARKERS_UP_TO)) {
                left.add(name);
            }
        });
        return left;
    }

    private static Map<String, double[]> perParameter(List<EpochRecord> h, ToDoubleFunction<LayerStats> f) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int i = 0; i < h.size(); i++) {
            for (Map.Entry<String, LayerStats> e : h.get(i).parameters().entrySet()) {
                out.computeIfAbsent(e.getKey(), k -> nans(h.size()))[i] = f.applyAsDouble(e.getValue());
            }
        }
        return out;
    }

    private static double[] series(List<EpochRecord> h, ToDoubleFunction<EpochRecord> f) {
        return h.stream().mapToDouble(f).toArray();
    }

    private static double[] nans(int n) {
        double[] v = new double[n];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    private void save(List<Plot> plots, XYChart c, String file, String title, String alt, String caption)
            throws IOException {
        png(file, ReportCharts.image(c));
        plots.add(new Plot(file, title, alt, caption, c.getWidth(), c.getHeight()));
    }

    private void png(String file, BufferedImage img) throws IOException {
        AtomicFile.write(dir.resolve(file), out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this JVM");
            }
        });
    }

    // ------------------------------------------------------------------ the page

    private String page(FitState run, List<Plot> plots, List<String> notes) {
        List<EpochRecord> h = run.history();
        EpochRecord last = h.isEmpty() ? null : h.get(h.size() - 1);
        String monitor = early != null ? early.monitor() : run.validation() != null ? "valLoss" : "trainLoss";
        EpochRecord best = best(h, monitor);
        StringBuilder sb = new StringBuilder(16_384);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Training report: ").append(esc(run.model().getClass().getSimpleName()))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>Training report</h1>\n");
        sb.append("<p class=\"meta\">Written ").append(esc(ZonedDateTime.now().withNano(0)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT)))).append(" by grad4j. ")
                .append(h.size()).append(h.size() == 1 ? " epoch" : " epochs").append(" recorded of ")
                .append(run.epochs()).append(" asked for.</p>\n");
        if (run.failed()) {
            sb.append("<p class=\"status failed\"><strong>The run failed:</strong> ").append(esc(run.stopReason()))
                    .append(". The model holds the last good weights.</p>\n");
        } else if (run.stopReason() != null) {
            sb.append("<p class=\"status stopped\"><strong>Stopped early:</strong> ").append(esc(run.stopReason()))
                    .append(".</p>\n");
        } else {
            sb.append("<p class=\"status done\">The run completed every epoch.</p>\n");
        }
        if (!run.failed() && early != null && early.bestEpoch() != null) {
            sb.append("<p>Early stopping restored the weights of epoch ").append(early.bestEpoch() + 1)
                    .append(", the best by ").append(esc(early.monitor())).append(": the model holds them.</p>\n");
        }

        sb.append("<h2 id=\"metrics\">Final metrics</h2>\n");
        if (last == null) {
            sb.append("<p>No epoch finished, so there are no metrics and no plots.</p>\n");
        } else {
            metrics(sb, last, best, monitor);
        }

        sb.append("<h2 id=\"warnings\">Warnings</h2>\n");
        if (run.warnings().isEmpty()) {
            sb.append("<p class=\"none\">No warnings.</p>\n");
        } else {
            sb.append("<ul class=\"warnings\">\n");
            for (TrainingWarning w : run.warnings()) {
                sb.append("<li><span class=\"kind\">").append(esc(w.kind().name())).append("</span> epoch ")
                        .append(w.epoch() + 1).append(", ").append(esc(w.where())).append(": ")
                        .append(esc(w.message())).append("</li>\n");
            }
            sb.append("</ul>\n");
        }

        if (!plots.isEmpty()) {
            sb.append("<h2 id=\"plots\">Plots</h2>\n");
            for (Plot p : plots) {
                sb.append("<figure>\n<img src=\"").append(esc(p.file())).append("\" width=\"").append(p.width())
                        .append("\" height=\"").append(p.height()).append("\" alt=\"").append(esc(p.alt()))
                        .append("\">\n<figcaption><strong>").append(esc(p.title())).append(".</strong> ")
                        .append(esc(p.caption())).append("</figcaption>\n</figure>\n");
            }
        }
        for (String n : notes) {
            sb.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        }

        sb.append("<h2 id=\"model\">Model</h2>\n<pre>").append(esc(run.model().toString())).append("</pre>\n");
        sb.append("<h2 id=\"optimizer\">Optimizer</h2>\n<pre>").append(esc(run.optimizer().toString()))
                .append("</pre>\n");
        sb.append("<h2 id=\"data\">Data</h2>\n<ul class=\"data\">\n<li>training: ")
                .append(esc(run.source().toString()))
                .append("</li>\n<li>validation: ")
                .append(run.validation() == null ? "none" : esc(run.validation().toString())).append("</li>\n</ul>\n");
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    private static void metrics(StringBuilder sb, EpochRecord last, EpochRecord best, String monitor) {
        boolean two = best != null && best != last;
        sb.append("<table class=\"metrics\">\n<thead><tr><th></th><th>last (epoch ").append(last.epoch() + 1)
                .append(")</th>");
        if (two) {
            sb.append("<th>best (epoch ").append(best.epoch() + 1).append(", by ").append(esc(monitor)).append(")</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        if (!two && best != null) {
            sb.append("<tr><td colspan=\"2\" class=\"best\">The last epoch is also the best by ").append(esc(monitor))
                    .append(".</td></tr>\n");
        }
        row(sb, "training loss", last, best, two, r -> loss(r.trainLoss()));
        row(sb, "training accuracy", last, best, two, r -> percent(r.trainAccuracy()));
        row(sb, "validation loss", last, best, two, r -> loss(r.valLoss()));
        row(sb, "validation accuracy", last, best, two, r -> percent(r.valAccuracy()));
        row(sb, "gap (points)", last, best, two, r -> Double.isNaN(r.gap()) ? "–"
                : String.format(Locale.ROOT, "%.1f", r.gap()));
        row(sb, "learning rate", last, best, two, r -> ReportCharts.tick(r.learningRate()));
        row(sb, "epoch time (s)", last, best, two, r -> String.format(Locale.ROOT, "%.2f", r.seconds()));
        sb.append("</tbody>\n</table>\n");
    }

    private static void row(StringBuilder sb, String name, EpochRecord last, EpochRecord best, boolean two,
                            Function<EpochRecord, String> f) {
        sb.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(f.apply(last))).append("</td>");
        if (two) {
            sb.append("<td>").append(esc(f.apply(best))).append("</td>");
        }
        sb.append("</tr>\n");
    }

    /** Early stopping's best epoch, else the best by {@code monitor}; null when no epoch has it. */
    private EpochRecord best(List<EpochRecord> h, String monitor) {
        Integer e = early != null ? early.bestEpoch() : null;
        if (e != null) {
            for (EpochRecord r : h) {
                if (r.epoch() == e) {
                    return r;
                }
            }
        }
        EpochRecord best = null;
        for (EpochRecord r : h) {
            double v = r.metric(monitor);
            if (!Double.isNaN(v) && (best == null || (monitor.endsWith("Loss") ? v < best.metric(monitor)
                    : v > best.metric(monitor)))) {
                best = r;
            }
        }
        return best;
    }

    /** A loss as the page shows it: four significant digits. */
    static String loss(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4g", v);
    }

    /** A fraction as a percentage with two decimals. */
    static String percent(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    /** {@code s} as HTML text or attribute value. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222;
                   max-width: 880px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
            h1 { margin-bottom: 0.2em; }
            h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.8em; }
            .meta { color: #666; margin-top: 0; }
            .status { padding: 0.6em 0.9em; border-radius: 4px; }
            .done { background: #eef7ee; border-left: 4px solid #2ca02c; }
            .stopped { background: #fff6e6; border-left: 4px solid #ff7f0e; }
            .failed { background: #fdecec; border-left: 4px solid #d62728; }
            table.metrics { border-collapse: collapse; }
            table.metrics th, table.metrics td { border: 1px solid #ddd; padding: 0.3em 0.8em; text-align: right; }
            table.metrics th:first-child, td.best { text-align: left; }
            table.metrics thead th { background: #f4f4f4; }
            td.best { color: #666; font-style: italic; }
            ul.warnings li { margin-bottom: 0.4em; }
            .kind { font-family: ui-monospace, "DejaVu Sans Mono", monospace; background: #fdecec; color: #a00;
                    padding: 0 0.3em; border-radius: 3px; }
            .none { color: #2a7a2a; }
            figure { margin: 1.5em 0; }
            img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { color: #444; font-size: 0.92em; margin-top: 0.3em; }
            .note { color: #666; font-style: italic; }
            pre { background: #f7f7f7; border: 1px solid #e4e4e4; padding: 0.8em; overflow-x: auto; }
            """;
}
