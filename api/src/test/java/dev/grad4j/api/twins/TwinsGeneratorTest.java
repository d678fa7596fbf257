package dev.grad4j.api.twins;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The twin generator's rules and markers, and its check. */
class TwinsGeneratorTest {

    static final String SOURCE = String.join("\n",
            "package p;",
            "/**",
            " * FLOAT32 loops over float[].",
            " * <!-- twin:skip -->",
            " * Only the source says this.",
            " * <!-- twin:end -->",
            " */",
            "final class F32 {",
            "    static float half(float x) { return (float) (x * 0.5f) + 1e-3f + 2f + 0x1p-10f + 1.5F - 1e+5f * 3f + 0x1p10f; }",
            "    // twin:skip",
            "    static float onlyFloat() { return Float.MAX_VALUE; }",
            "    // twin:end",
            "    // twin:only static double onlyDouble() { return 1; }",
            "    // twin:only static float[] narrow(double[] x) { return new float[] {(float) x[0], 1f}; }",
            "    static String name = \"F32 uses FLOAT32\";",
            "}",
            "");

    @Test
    void theTwinHasItsTypesLiteralsAndNamesAndHonoursTheMarkers() {
        String twin = Twins.generate(SOURCE, "F32.java", Twins.floatToDouble("F32", "F64"), "regenerate it");
        String expected = String.join("\n",
                "// GENERATED from F32.java by dev.grad4j.api.twins.Twins: edit F32.java, then run",
                "// regenerate it",
                "package p;",
                "/**",
                " * FLOAT64 loops over double[].",
                " */",
                "final class F64 {",
                "    static double half(double x) { return (x * 0.5) + 1e-3 + 2.0 + 0x1p-10 + 1.5 - 1e+5 * 3.0 + 0x1p10; }",
                "    static double onlyDouble() { return 1; }",
                "    static float[] narrow(double[] x) { return new float[] {(float) x[0], 1f}; }",
                "    static String name = \"F64 uses FLOAT64\";",
                "}",
                "");
        assertEquals(expected, twin);
    }

    @Test
    void unbalancedMarkersAreRefusedWithTheirLine() {
        var rules = Twins.floatToDouble("F32", "F64");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Twins.generate("a\n// twin:skip\nb\n", "X.java", rules, ""))
                .getMessage().contains("X.java:2: twin:skip without a twin:end"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Twins.generate("a\n// twin:end\n", "X.java", rules, ""))
                .getMessage().contains("X.java:2: twin:end without a twin:skip"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Twins.generate("// twin:skip\n// twin:skip\n// twin:end\n", "X.java", rules, ""))
                .getMessage().contains("X.java:2: twin:skip inside the twin:skip of line 1"));
    }

    @Test
    void aStaleOrHandEditedTwinFailsTheCheckNamingItAndWriteModeRegeneratesIt(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("F32.java");
        Path twin = dir.resolve("F64.java");
        Files.writeString(source, SOURCE);
        var pair = List.of(new Twins.Pair(source, twin, Twins.floatToDouble("F32", "F64")));
        AssertionError missing = assertThrows(AssertionError.class, () -> Twins.check(pair, "run this"));
        assertTrue(missing.getMessage().contains("F64.java is missing") && missing.getMessage().contains("run this"),
                missing.getMessage());
        Files.writeString(twin, Twins.generate(SOURCE, "F32.java", Twins.floatToDouble("F32", "F64"), "run this"));
        Twins.check(pair, "run this");
        Files.writeString(twin, Files.readString(twin).replace("0.5", "0.25"));
        AssertionError edited = assertThrows(AssertionError.class, () -> Twins.check(pair, "run this"));
        assertTrue(edited.getMessage().contains("first difference at line 8"), edited.getMessage());
        System.setProperty("twins.write", "true");
        try {
            Twins.check(pair, "run this");
        } finally {
            System.clearProperty("twins.write");
        }
        Twins.check(pair, "run this");
    }
}
