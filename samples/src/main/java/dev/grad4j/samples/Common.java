package dev.grad4j.samples;

import dev.grad4j.api.Backends;
import dev.grad4j.api.DefaultsScope;
import picocli.CommandLine.Option;

import java.io.PrintStream;

import static dev.grad4j.Grad4j.using;

/** The options every sample shares: the backend, the seed, and how much an error prints. */
public final class Common {

    @Option(names = "--backend", paramLabel = "NAME",
            description = "ejml, nd4j or simd (default: grad4j.backend / GRAD4J_BACKEND / grad4j.properties, else ejml)")
    String backend;

    @Option(names = "--seed", defaultValue = "0", description = "seed for weights, splits and shuffling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--verbose", description = "print the stack trace of an error")
    boolean verbose;

    /** Opens the sample's defaults scope: the chosen backend, seeded; says which backend and why. */
    DefaultsScope open(PrintStream out) {
        if (backend != null) {
            DefaultsScope s = using(backend).seed(seed);
            out.printf("backend: %s (from --backend)%n", s.backend().name());
            return s;
        }
        DefaultsScope s = using(Backends.configured()).seed(seed);
        out.printf("backend: %s (from %s)%n", s.backend().name(), Backends.selection().source());
        return s;
    }
}
