package dev.grad4j.backend.simd;

import dev.grad4j.api.twins.Twins;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code F64.java} is generated from {@code F32.java}, and {@code Dgemm.java} from
 * {@code Sgemm.java}: this fails when one is stale or was edited by hand, and regenerates them with
 * {@code -Dtwins.write=true}. The JIT rules of {@code docs/DESIGN-NOTES.md} (one vector shape per
 * element type, the scratch-tile merge, one lambda per op) are therefore kept in the float32
 * sources only.
 */
class TwinsTest {

    static final Path DIR = Path.of("src/main/java/dev/grad4j/backend/simd");

    /** floatToDouble, then the Vector API's class names and the float kernels' class. */
    static List<Twins.Rule> rules(String source, String twin) {
        List<Twins.Rule> rules = new ArrayList<>(Twins.floatToDouble(source, twin));
        rules.add(Twins.Rule.of("\\bFloatVector\\b", "DoubleVector"));
        rules.add(Twins.Rule.of("\\bF32Math\\b", "F64Math"));
        return rules;
    }

    @Test
    void theFloat64KernelsAreGeneratedFromTheFloat32Kernels() {
        Twins.check(List.of(
                        new Twins.Pair(DIR.resolve("F32.java"), DIR.resolve("F64.java"), rules("F32", "F64")),
                        new Twins.Pair(DIR.resolve("Sgemm.java"), DIR.resolve("Dgemm.java"), rules("Sgemm", "Dgemm"))),
                "./mvnw -q -B -pl backend-simd test -Dtest=TwinsTest -Dtwins.write=true");
    }
}
