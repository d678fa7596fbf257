package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

/** Activation module: Gaussian error linear unit (exact, with erf). */
public final class GELU extends Layer {

    @Override
    public Variable forward(Variable x) {
        return x.gelu();
    }
}
