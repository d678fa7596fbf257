package dev.grad4j.autograd;

import dev.grad4j.api.Backend;


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
            CACHE[i] = dev.grad4j.api.Backends.get(name);
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
