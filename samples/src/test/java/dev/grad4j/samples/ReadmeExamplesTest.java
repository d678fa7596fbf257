package dev.grad4j.samples;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's Java examples are compiled and run as written, so the front page cannot drift from
 * the API. Every {@code ```java} block is a program: its {@code import} lines, then statements that
 * become the body of a {@code main} method. A block whose output the README shows is checked
 * against it by {@link #expectations()}.
 */
class ReadmeExamplesTest {

    private static final Path README = Path.of("README.md");   // the tests run from the repository root

    /** A fenced {@code java} block of the README and the line it starts on. */
    record Block(int line, String code) {
    }

    static List<Block> javaBlocks(String markdown) {
        List<Block> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals("```java")) {
                int start = i + 1;
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < lines.length && !lines[i].strip().equals("```")) {
                    sb.append(lines[i]).append('\n');
                    i++;
                }
                if (i == lines.length) {
                    throw new IllegalStateException("README.md: the java block opened at line " + start + " is not closed");
                }
                out.add(new Block(start, sb.toString()));
            }
        }
        return out;
    }

    /** The block as a class with a main method: imports stay on top, the rest is the body. */
    static String asProgram(String className, String code) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String l : code.split("\n")) {
            if (l.startsWith("import ")) {
                imports.append(l).append('\n');
            } else {
                body.append("        ").append(l).append('\n');
            }
        }
        return imports + "\npublic class " + className + " {\n    public static void main(String[] args) throws Exception {\n"
                + body + "    }\n}\n";
    }

    /** Substrings a block's output must contain, by the first line of the block (the README shows them). */
    private static List<String> expectations(Block b) {
        if (b.code().contains("SGD.of(model.parameters(), 0.5)")) {
            return List.of("step 200 loss", "step 2000 loss", "tensor([[");
        }
        return List.of();
    }

    @Test
    void theReadmeHasJavaExamples() throws IOException {
        List<Block> blocks = javaBlocks(Files.readString(README));
        assertTrue(blocks.size() >= 3, "README.md has " + blocks.size() + " java blocks");
        assertTrue(blocks.stream().anyMatch(b -> b.code().contains("import static dev.grad4j.Grad4j.*;")
                && b.code().contains("opt.minimize(() -> mse(model.apply(x), y))")), "the XOR example is on the front page");
    }

    @Test
    void theHarnessReportsACompileErrorWithTheReadmeLine() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> run(new Block(41, "int x = \"not a number\";\n"), 0));
        assertTrue(e.getMessage().contains("README.md line 41"), e.getMessage());
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompilesAndRuns() throws IOException {
        List<Block> blocks = javaBlocks(Files.readString(README));
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            int index = i;
            tests.add(DynamicTest.dynamicTest("README.md line " + b.line(), () -> {
                String out = run(b, index);
                for (String expected : expectations(b)) {
                    assertTrue(out.contains(expected), "README.md line " + b.line() + " printed:\n" + out
                            + "\nexpected it to contain: " + expected);
                }
            }));
        }
        return tests.stream();
    }

    /** Compiles and runs one block; returns what it printed. */
    private static String run(Block b, int index) throws Exception {
        String name = "ReadmeBlock" + index;
        Path dir = Files.createTempDirectory("readme");
        Path src = dir.resolve(name + ".java");
        Files.writeString(src, asProgram(name, b.code()));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(),
                    "-proc:none", "--release", "17");
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(src)).call();
            if (!ok) {
                StringBuilder sb = new StringBuilder("README.md line " + b.line() + " does not compile:\n");
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    sb.append("  ").append(d.getMessage(Locale.ROOT)).append(" (program line ").append(d.getLineNumber())
                            .append(")\n");
                }
                fail(sb.toString());
            }
        }
        PrintStream previous = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader cl = new URLClassLoader(new URL[]{dir.toUri().toURL()}, ReadmeExamplesTest.class.getClassLoader())) {
            Method main = cl.loadClass(name).getMethod("main", String[].class);
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            throw new AssertionError("README.md line " + b.line() + " threw " + e.getCause(), e.getCause());
        } finally {
            System.setOut(previous);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        previous.print(out);
        return out;
    }
}
