package dev.grad4j.samples;

import dev.grad4j.api.io.Npz;
import dev.grad4j.nn.Sequential;
import dev.grad4j.testkit.OpCheck;
import dev.grad4j.train.TrainingWarning;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every lesson end to end at a small size, its output and files checked; bad input gets one line and a non-zero exit. */
class SamplesTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** Runs the program; returns {exit code, stdout, stderr}. */
    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Samples.commandLine();
            cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
            int code = cl.execute(args);
            return new String[]{Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(previous);
        }
    }

    private static <T> T command(T c, String... args) {
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : List.of("digits", "xor", "neuron", "spiral", "debug-nan", "custom-op", "gradcheck", "inplace",
                "graph", "tracer")) {
            String[] r = run(sub, "--help");
            assertEquals("0", r[0], sub);
            assertTrue(r[1].contains("Usage: grad4j-samples " + sub) && r[1].contains("--backend"), sub + ":\n" + r[1]);
        }
        String[] top = run("--help");
        assertTrue(top[1].contains("digits") && top[1].contains("debug-nan"), top[1]);
    }

    @Test
    void digitsAtASmallSizeWritesItsWeightsAndLog() throws Exception {
        Digits.Result r = command(new Digits(QUIET), "--epochs", "2", "--out", dir.toString(), "--backend", "ejml").run();
        assertTrue(r.testAccuracy() > 0.8, "two epochs already learn: " + r.testAccuracy());
        assertEquals(2, r.fit().history().size());
        assertTrue(Files.size(dir.resolve("metrics.csv")) > 0);
        for (String png : List.of("loss.png", "accuracy.png", "grad_norm.png", "update_ratio.png")) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(dir.resolve("report").resolve(png).toFile());
            assertTrue(image != null && image.getWidth() > 0, png + " decodes");
        }
        assertTrue(Files.readString(dir.resolve("report").resolve("index.html")).contains("loss.png"));
        try (var env = using("ejml")) {
            Sequential model = sequential(linear(64, 128), relu(), linear(128, 64), relu(), linear(64, 10));
            model.load(dir.resolve("best.npz"));
            assertEquals(5, Npz.read(dir.resolve("best.npz"), backend()).size() - 1, "six parameters saved");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "simd"})
    @Tag("slow")
    void digitsReachesNinetySevenPercentOnEveryBackend(String backend) {
        Digits.Result r = command(new Digits(QUIET), "--out", dir.toString(), "--backend", backend).run();
        assertTrue(r.testAccuracy() >= 0.97, backend + ": test accuracy " + r.testAccuracy());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "simd"})
    void xorIsLearnedOnEveryBackend(String backend) {
        Xor.Result r = command(new Xor(QUIET), "--backend", backend).run();
        assertTrue(r.loss() < 0.01, "loss " + r.loss());
        assertEquals(1.0, r.accuracy());
    }

    @Test
    void theNeuronApproachesItsTarget() {
        Neuron.Result r = command(new Neuron(QUIET), "--steps", "200", "--lr", "0.5").run();
        assertEquals(0.8, r.output(), 1e-3);
    }

    @Test
    void spiralOverfitsWhenAskedAndSaysSo() {
        var healthy = command(new Spiral(QUIET), "--epochs", "40").run();
        assertTrue(healthy.last().valAccuracy() > 0.9, "val accuracy " + healthy.last().valAccuracy());
        var overfit = command(new Spiral(QUIET), "--overfit", "--epochs", "150").run();
        assertTrue(overfit.warnings().stream().anyMatch(w -> w.kind() == TrainingWarning.Kind.OVERFITTING),
                overfit.warnings().toString());
    }

    @Test
    void debugNanFailsThenIsDiagnosedAndFixed() {
        DebugNan.Result r = command(new DebugNan(QUIET)).run();
        assertTrue(r.runs().get(0).nanStep() > 0, "the broken loop turns NaN");
        assertTrue(r.anomaly().contains("Log produced") && r.anomaly().contains("DebugNan.brokenLoss(DebugNan.java:"),
                "anomaly mode names the op and the sample's own line: " + r.anomaly());
        assertTrue(r.explodingLayer().startsWith("layer ") && r.explodingLayer().contains("(Linear) of Sequential"),
                r.explodingLayer());
        DebugNan.Run last = r.runs().get(r.runs().size() - 1);
        assertTrue(last.healthy(), "with every fix the loop is healthy: " + last);
        assertFalse(r.runs().get(1).healthy(), "the stable loss alone is not enough");
    }

    @Test
    void customOpIsCheckedTrainedWithAndTheHomeworkAddsUp() {
        CustomOp.Result r = command(new CustomOp(QUIET), "--epochs", "30").run();
        assertTrue(r.check().passed(), r.check().toString());
        assertTrue(r.accuracy() > 0.8, "validation accuracy " + r.accuracy());
        assertTrue(r.sigmoidGradError() < 1e-12, "autograd's sigmoid gradient is σ(1-σ): " + r.sigmoidGradError());
    }

    @Test
    void swishPassesTheTestKit() {
        OpCheck.of("swish", x -> new Swish().apply(x[0])).input(-4, 4, 3, 5).check();
    }

    @Test
    void theBestStepLiesBetweenOneTenThousandthAndOneBillionthInFloat64() {
        List<FiniteDifferences.Table> tables = command(new FiniteDifferences(QUIET)).run();
        FiniteDifferences.Table f64 = tables.get(0);
        for (double h : new double[]{f64.bestForwardH(), f64.bestCentralH()}) {
            assertTrue(h >= 1e-9 && h <= 1e-4, "best h " + h);
        }
        assertTrue(f64.bestCentralH() > f64.bestForwardH(), "central differences are best at a larger h");
        FiniteDifferences.Table f32 = tables.get(1);
        FiniteDifferences.Row smallest = f32.rows().get(f32.rows().size() - 1);
        assertEquals(0.0, smallest.forward(), "in float32, x + 1e-15 is x: the difference is exactly 0");
    }

    @Test
    void theInPlaceTrapIsCaught() {
        InPlace.Result r = command(new InPlace(QUIET)).run();
        assertEquals(3.0, r.correct());
        assertEquals(10.0, r.naive());
        assertTrue(r.error().contains("modified by an in-place operation") && r.error().contains("Mul"), r.error());
    }

    @Test
    void theGraphHasTheCoursesGradients() throws Exception {
        Graph.Result r = command(new Graph(QUIET), "--out", dir.toString()).run();
        assertEquals(49.0, r.output());
        assertEquals(42.0, r.dx());
        assertEquals(28.0, r.dw());
        assertEquals(14.0, r.db());
        assertEquals(2, r.explained().contributions().size());
        assertEquals(8.0, r.explained().gradient().item());
        String dot = Files.readString(dir.resolve("linear_squared.dot"));
        assertTrue(dot.startsWith("digraph") && dot.contains("PowScalar"), dot);
        for (Path f : r.files()) {
            assertTrue(Files.size(f) > 0, f.toString());
        }
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputGetsOneLineAndANonZeroExit() {
        String[] unknown = run("xor", "--backend", "nope");
        assertEquals("1", unknown[0]);
        assertTrue(unknown[2].startsWith("error: unknown grad4j backend 'nope' (from the argument of using(\"nope\")); "
                + "available: ejml, nd4j, simd"), unknown[2]);
        assertFalse(unknown[2].contains("\tat "), "no stack trace without --verbose");

        String[] epochs = run("digits", "--epochs", "-3", "--out", dir.resolve("d").toString());
        assertEquals("1", epochs[0]);
        assertTrue(epochs[2].startsWith("error: --epochs must be at least 1, got -3"), epochs[2]);

        String[] missing = run("digits", "--data", dir.resolve("nowhere.csv").toString(), "--out", dir.resolve("d").toString());
        assertEquals("1", missing[0]);
        assertTrue(missing[2].contains("nowhere.csv") && missing[2].lines().count() == 2, missing[2]);

        String[] verbose = run("xor", "--backend", "nope", "--verbose");
        assertTrue(verbose[2].contains("\tat "), "--verbose adds the stack trace");

        String[] typo = run("digits", "--epoch", "3");
        assertEquals("2", typo[0], "picocli's usage error");
        assertTrue(typo[2].contains("Unknown options: '--epoch'"), typo[2]);
    }

    @Test
    void anOutputFolderThatCannotBeWrittenIsOneLineAndNothingIsLeftHalfWay() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "not a folder");
        String[] r = run("digits", "--epochs", "1", "--out", file.resolve("sub").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith("error: ") && r[2].contains("a-file"), r[2]);
        assertEquals("not a folder", Files.readString(file));
    }
}
