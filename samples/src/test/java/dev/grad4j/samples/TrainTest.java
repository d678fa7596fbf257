package dev.grad4j.samples;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Grad4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sample learns, on every backend, and gives the same results on both (seeded, deterministic). */
class TrainTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j"})
    void xorReachesALossBelowOneHundredth(String name) {
        Train.Result r = Train.xor(Grad4j.backend(name), 0, 2000, QUIET);
        assertTrue(r.loss() < 0.01, "XOR loss " + r.loss());
        assertEquals(1.0, r.accuracy());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j"})
    void twoMoonsPassesNinetyFivePercentTrainingAccuracy(String name) {
        Train.Result r = Train.moons(Grad4j.backend(name), 0, 600, 400, QUIET);
        assertTrue(r.accuracy() > 0.95, "training accuracy " + r.accuracy());
    }

    @Test
    void bothBackendsGiveTheSameResultsWithinFloatTolerance() {
        Backend ejml = Grad4j.backend("ejml");
        Backend nd4j = Grad4j.backend("nd4j");
        Train.Result a = Train.xor(ejml, 3, 500, QUIET);
        Train.Result b = Train.xor(nd4j, 3, 500, QUIET);
        assertEquals(a.loss(), b.loss(), 1e-4 * Math.max(1, a.loss()));
        Train.Result c = Train.moons(ejml, 3, 200, 200, QUIET);
        Train.Result d = Train.moons(nd4j, 3, 200, 200, QUIET);
        assertEquals(c.loss(), d.loss(), 1e-3 * Math.max(1, c.loss()));
        assertEquals(c.accuracy(), d.accuracy(), 0.011);
    }

    @Test
    void seededRunsRepeatExactly() {
        Backend ejml = Grad4j.backend("ejml");
        assertEquals(Train.moons(ejml, 5, 50, 100, QUIET), Train.moons(ejml, 5, 50, 100, QUIET));
    }

    @Test
    void theCommandLinePrintsTheLossFallingAndTheAccuracy() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int code = new CommandLine(new Train(out)).execute("--backend", "nd4j", "--xor-steps", "300", "--moons-steps", "50");
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("backend: nd4j (from --backend)"), text);
        assertTrue(text.contains("step   300  loss"), text);
        assertTrue(text.contains("training accuracy"), text);
        CommandLine bad = new CommandLine(new Train(out));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        bad.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        assertTrue(bad.execute("--backend", "nope") != 0, "an unknown backend fails");
    }
}
