package dev.grad4j.backend.ejml;

import dev.grad4j.api.twins.Twins;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code F64.java} is generated from {@code F32.java}: this fails when it is stale or was edited by
 * hand, and regenerates it with {@code -Dtwins.write=true}.
 */
class TwinsTest {

    static final Path DIR = Path.of("src/main/java/dev/grad4j/backend/ejml");

    @Test
    void theFloat64LoopsAreGeneratedFromTheFloat32Loops() {
        Twins.check(List.of(new Twins.Pair(DIR.resolve("F32.java"), DIR.resolve("F64.java"), Twins.floatToDouble("F32", "F64"))),
                "./mvnw -q -B -pl backend-ejml test -Dtest=TwinsTest -Dtwins.write=true");
    }
}
