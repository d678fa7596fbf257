package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Grad4j;

import java.util.List;
import java.util.stream.Stream;

/** The backends every autograd test runs on (both are test dependencies of this module). */
public final class Backends {

    private static final List<String> NAMES = List.of("ejml", "nd4j", "simd");
    private static final Backend[] CACHE = new Backend[NAMES.size()];

    private Backends() {
    }

    public static synchronized Backend get(String name) {
        int i = NAMES.indexOf(name);
        if (CACHE[i] == null) {
            CACHE[i] = Grad4j.backend(name);
        }
        return CACHE[i];
    }

    /** For {@code @MethodSource}: every backend. */
    public static Stream<Backend> all() {
        return NAMES.stream().map(Backends::get);
    }

    public static Backend ejml() {
        return get("ejml");
    }

    public static Backend nd4j() {
        return get("nd4j");
    }
}
