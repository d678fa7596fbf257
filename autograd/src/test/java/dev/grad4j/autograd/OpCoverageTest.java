package dev.grad4j.autograd;

import dev.grad4j.autograd.ops.Add;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fails when an op class has no spec in {@link OpSpecs}. */
class OpCoverageTest {

    @Test
    void everyOpHasASpec() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(Add.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/grad4j/autograd/ops");
        Set<String> ops = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String f = p.getFileName().toString();
                if (f.endsWith(".class") && !f.contains("$") && !f.equals("package-info.class")) {
                    Class<?> c = Class.forName("dev.grad4j.autograd.ops." + f.substring(0, f.length() - 6));
                    if (Node.class.isAssignableFrom(c)) {
                        ops.add(c.getSimpleName());
                    }
                }
            }
        }
        assertTrue(ops.size() >= 40, "expected the op classes to be found, got " + ops);
        Set<String> covered = new HashSet<>();
        for (OpSpecs.Spec s : OpSpecs.ALL) {
            s.covers().forEach(c -> covered.add(c.getSimpleName()));
        }
        Set<String> missing = new TreeSet<>(ops);
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "ops without a spec in OpSpecs: " + missing);
    }
}
