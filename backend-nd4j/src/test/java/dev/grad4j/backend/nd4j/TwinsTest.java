package dev.grad4j.backend.nd4j;

import dev.grad4j.api.twins.Twins;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code HeapF64.java} is generated from {@code HeapF32.java}: this fails when it is stale or was
 * edited by hand, and regenerates it with {@code -Dtwins.write=true}.
 */
class TwinsTest {

    static final Path DIR = Path.of("src/main/java/dev/grad4j/backend/nd4j");

    @Test
    void theFloat64HeapKernelsAreGeneratedFromTheFloat32Ones() {
        Twins.check(List.of(new Twins.Pair(DIR.resolve("HeapF32.java"), DIR.resolve("HeapF64.java"),
                        Twins.floatToDouble("HeapF32", "HeapF64"))),
                "./mvnw -q -B -pl backend-nd4j test -Dtest=TwinsTest -Dtwins.write=true");
    }
}
