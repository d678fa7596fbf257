package dev.grad4j.spark;

import dev.grad4j.nn.Layer;

import java.io.Serializable;

/**
 * How to build the model, sent to the executors instead of the model itself: each builds its own
 * copy (on the backend its configuration selects) and receives the driver's weights every step. A
 * lambda works, as long as what it captures is serializable:
 * {@code () -> sequential(linear(64, 128), relu(), linear(128, 10))}.
 */
@FunctionalInterface
public interface ModelSpec extends Serializable {
    Layer build();
}
