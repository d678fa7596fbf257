package dev.grad4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grad4j.api.io.AtomicFile;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Draws the scaling curves of a {@code tools/bench/alternate.py} results file as PNGs: W1's time
 * per op against the chain's length ({@code chain_<ops>} lines) and GEMM GFLOP/s against the
 * matrix size ({@code gemm_<n>} lines), one series per backend and one for PyTorch, log-scaled
 * x axes. A curve with no points in the file is not drawn; the files drawn are printed.
 */
@Command(name = "plots", mixinStandardHelpOptions = true,
        description = "Draws chain_curve.png and gemm_curve.png from tools/bench/alternate.py's results JSON.")
public final class Plots implements Callable<Integer> {

    @Parameters(index = "0", description = "the results file (alternate.py --out)")
    private Path results;

    @Parameters(index = "1", description = "the folder to write the PNGs into")
    private Path dir;

    /** One curve: the line names it draws ({@code prefix} then a number), the metric, the axes. */
    record Curve(String file, String title, Pattern line, String metric, String xLabel, String yLabel) {
    }

    static final List<Curve> CURVES = List.of(
            new Curve("chain_curve.png", "W1 chain: time per op against chain length (flat = linear engine)",
                    Pattern.compile("chain_(\\d+)"), "us_per_op", "ops in the chain", "µs per op (forward + backward)"),
            new Curve("gemm_curve.png", "float32 GEMM n×n×n", Pattern.compile("gemm_n?(\\d+)"), "gflops", "n",
                    "GFLOP/s"));

    public static void main(String[] args) {
        System.exit(new CommandLine(new Plots()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        JsonNode medians = new ObjectMapper().readTree(results.toFile()).path("medians");
        if (medians.isMissingNode()) {
            throw new IllegalArgumentException(results + " has no \"medians\": it is not a results file of alternate.py");
        }
        Files.createDirectories(dir);
        for (Curve c : CURVES) {
            XYChart chart = chart(c, medians);
            if (chart == null) {
                continue;
            }
            BufferedImage img = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
            chart.paint(img.createGraphics(), chart.getWidth(), chart.getHeight());
            Path file = dir.resolve(c.file());
            AtomicFile.write(file, out -> {
                if (!ImageIO.write(img, "png", out)) {
                    throw new IOException("no PNG writer in this JVM");
                }
            });
            System.out.println(file);
        }
        return 0;
    }

    /** The chart of {@code c}, or null when no side has its lines. */
    static XYChart chart(Curve c, JsonNode medians) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(c.title()).xAxisTitle(c.xLabel())
                .yAxisTitle(c.yLabel()).build();
        chart.getStyler().setXAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.OutsideE)
                .setChartBackgroundColor(java.awt.Color.WHITE).setMarkerSize(7);
        boolean any = false;
        for (Iterator<Map.Entry<String, JsonNode>> sides = medians.fields(); sides.hasNext(); ) {
            Map.Entry<String, JsonNode> side = sides.next();
            TreeMap<Integer, Double> points = new TreeMap<>();
            side.getValue().fields().forEachRemaining(line -> {
                Matcher m = c.line().matcher(line.getKey());
                JsonNode v = line.getValue().get(c.metric());
                if (m.matches() && v != null && v.isNumber()) {
                    points.put(Integer.parseInt(m.group(1)), v.asDouble());
                }
            });
            if (points.size() < 2) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            points.keySet().forEach(k -> x.add(k.doubleValue()));
            chart.addSeries(side.getKey().equals("pytorch") ? "PyTorch" : side.getKey(), x, new ArrayList<>(points.values()))
                    .setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        return any ? chart : null;
    }
}
