package dev.grad4j.nn;

import dev.grad4j.autograd.*;
import dev.grad4j.nn.*;

/**
 * Compiles only if a wildcard import of the nn and autograd packages clashes with nothing in
 * {@code java.lang} (grad4j's layer type was once called {@code Module}, as {@code java.lang.Module} is).
 */
final class WildcardImportUser {

    private WildcardImportUser() {
    }

    static Class<?> layerType() {
        Layer l = new Tanh();
        Variable v = null;
        Parameter p = null;
        Sequential s = null;
        return v == null && p == null && s == null ? Layer.class.cast(l).getClass().getSuperclass() : null;
    }
}
