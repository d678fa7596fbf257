package dev.grad4j.backend.simd;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend's kernels use one vector shape only: the preferred species of float and of double.
 *
 * <p>Why this is a rule: the Vector API's JDK methods ({@code FloatVector.fromArray}, {@code fma},
 * ...) are shared by every caller, and so are their type profiles. When a second float shape (say
 * 256-bit vectors next to the preferred 512-bit ones) flows through them, the profiles turn
 * polymorphic, and C2 can then fail to intrinsify the float kernels it compiles afterwards: their
 * vectors are boxed on the heap. Measured on this project: SGEMM at 2048³ fell from about 130 to
 * 10 GFLOP/s, and the W3/W4 training runs 4 to 5 times slower, after a float32 sum had used a
 * half-width float species. A timing cannot be a unit test, so this test guards the cause: main
 * sources must not name another species or change a vector's shape.
 */
class OneVectorShapeTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "VectorSpecies\\.of\\(|SPECIES_(64|128|256|512|MAX)\\b|\\bVectorShape\\b|castShape\\(|reinterpretShape\\(|withShape\\(");

    @Test
    void mainSourcesUseOnlyThePreferredSpecies() throws IOException {
        Path main = Path.of("src/main/java/dev/grad4j/backend/simd");
        assertTrue(Files.isDirectory(main), "run from the backend-simd module directory: " + main.toAbsolutePath());
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.list(main)) {
            for (Path p : sources.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                files++;
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("//.*", "");
                    if (!code.trim().startsWith("*") && FORBIDDEN.matcher(code).find()) {
                        found.add(p.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertTrue(files >= 8, "expected the backend's sources in " + main.toAbsolutePath() + ", found " + files + " files");
        assertTrue(found.isEmpty(), "use only FloatVector/DoubleVector.SPECIES_PREFERRED (see this test's Javadoc); found:\n"
                + String.join("\n", found));
    }

    /** The scan itself: it must flag what the rule forbids, or an empty result proves nothing. */
    @Test
    void theScanFlagsASecondShape() {
        assertTrue(FORBIDDEN.matcher("static final VectorSpecies<Float> H = VectorSpecies.of(float.class, s);").find());
        assertTrue(FORBIDDEN.matcher("FloatVector.SPECIES_256").find());
        assertTrue(FORBIDDEN.matcher("x.castShape(D, 0)").find());
        assertTrue(!FORBIDDEN.matcher("FloatVector.SPECIES_PREFERRED").find());
        assertTrue(!FORBIDDEN.matcher("v.convertShape(VectorOperators.F2D, D, 1)").find());
    }
}
