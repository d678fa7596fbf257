package dev.grad4j.samples.tracer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The course's examples, each an expression with its starting values. */
public final class Examples {

    private Examples() {
    }

    /** One example: an id for the API, a title for the page, the expression and its inputs' values. */
    public record Example(String id, String title, String expression, Map<String, Double> values) {
    }

    /** The 2-2-1 tanh network with a squared loss, written out: two hidden units, one output, one target. */
    public static final String NETWORK = "(v1*tanh(w11*x1 + w12*x2 + b1) + v2*tanh(w21*x1 + w22*x2 + b2) + c - target)^2";

    /** {@code (x*w + b)^2}, {@code (a + b) * b}, {@code x*x + x} and the 2-2-1 tanh network. */
    public static List<Example> all() {
        return List.of(
                new Example("linear", "(x*w + b)^2", "(x*w + b)^2", values("x", 2, "w", 3, "b", 1)),
                new Example("shared", "(a + b) * b: b used twice", "(a + b) * b", values("a", 2, "b", 3)),
                new Example("square", "x*x + x: x used three times", "x*x + x", values("x", 3)),
                new Example("network", "2-2-1 tanh network, squared loss", NETWORK,
                        values("x1", 0.5, "x2", -1.5, "w11", 0.8, "w12", -0.4, "b1", 0.1, "w21", 0.3, "w22", 0.9,
                                "b2", -0.2, "v1", 1.2, "v2", -0.7, "c", 0.05, "target", 1)));
    }

    private static Map<String, Double> values(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return m;
    }
}
