package dev.grad4j.backend.nd4j;

import dev.grad4j.api.twins.Twins;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The float64 twins of nd4j's Java paths are generated from their float32 sources:
 * {@code HeapF64}, {@code ElementsF64} and {@code GemmF64} from {@code HeapF32}, {@code ElementsF32}
 * and {@code GemmF32}. This fails when one is stale or was edited by hand, and regenerates
 * them with {@code -Dtwins.write=true}.
 */
class TwinsTest {

    static final Path DIR = Path.of("src/main/java/dev/grad4j/backend/nd4j");

    @Test
    void theFloat64JavaPathsAreGeneratedFromTheFloat32Ones() {
        List<Twins.Rule> elements = new ArrayList<>(Twins.floatToDouble("ElementsF32", "ElementsF64"));
        elements.add(Twins.Rule.of("\\bFloatBuffer\\b", "DoubleBuffer"));
        List<Twins.Rule> gemm = new ArrayList<>(Twins.floatToDouble("GemmF32", "GemmF64"));
        gemm.add(Twins.Rule.of("\\bFloatPointer\\b", "DoublePointer"));
        gemm.add(Twins.Rule.of("\\bcblas_sgemm\\b", "cblas_dgemm"));
        Twins.check(List.of(
                        new Twins.Pair(DIR.resolve("HeapF32.java"), DIR.resolve("HeapF64.java"),
                                Twins.floatToDouble("HeapF32", "HeapF64")),
                        new Twins.Pair(DIR.resolve("ElementsF32.java"), DIR.resolve("ElementsF64.java"), elements),
                        new Twins.Pair(DIR.resolve("GemmF32.java"), DIR.resolve("GemmF64.java"), gemm)),
                "./mvnw -q -B -pl backend-nd4j test -Dtest=TwinsTest -Dtwins.write=true");
    }
}
