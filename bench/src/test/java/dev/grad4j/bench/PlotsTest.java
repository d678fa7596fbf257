package dev.grad4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plots draws a curve per side from alternate.py's medians, and nothing for a curve without points. */
class PlotsTest {

    static final String RESULTS = """
            {"medians": {
              "pytorch": {"chain_10": {"us_per_op": 4.1}, "chain_100": {"us_per_op": 3.7}, "op_overhead": {"us_per_op": 3.4}},
              "simd": {"chain_10": {"us_per_op": 0.44}, "chain_100": {"us_per_op": 0.39}, "chain_1000": {"us_per_op": 0.37}},
              "ejml": {"chain_10": {"us_per_op": 1.2}}
            }}""";

    @Test
    void theChainCurveHasOneSeriesPerSideWithTwoOrMorePointsAndNoGemmCurveIsDrawn(@TempDir Path dir) throws Exception {
        var chart = Plots.chart(Plots.CURVES.get(0), new ObjectMapper().readTree(RESULTS).path("medians"));
        assertNotNull(chart);
        assertEquals(java.util.Set.of("PyTorch", "simd"), chart.getSeriesMap().keySet(), "ejml has one point only");
        assertEquals(3, chart.getSeriesMap().get("simd").getXData().length);

        Path results = dir.resolve("results.json");
        Files.writeString(results, RESULTS);
        Path out = dir.resolve("plots");
        assertEquals(0, new CommandLine(new Plots()).execute(results.toString(), out.toString()));
        BufferedImage png = ImageIO.read(out.resolve("chain_curve.png").toFile());
        assertEquals(900, png.getWidth());
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < png.getHeight(); y += 3) {
            for (int x = 0; x < png.getWidth(); x += 3) {
                colours.add(png.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 10, "a chart has text, axes and coloured series, not " + colours.size() + " colours");
        assertFalse(Files.exists(out.resolve("gemm_curve.png")), "no gemm lines, no gemm plot");
    }

    @Test
    void aFileThatIsNotAResultsFileIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("other.json");
        Files.writeString(bad, "{\"hello\": 1}");
        var err = new java.io.StringWriter();
        int code = new CommandLine(new Plots()).setErr(new java.io.PrintWriter(err)).execute(bad.toString(),
                dir.resolve("p").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("other.json") && err.toString().contains("medians"), err.toString());
    }
}
