package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

/** Activation module: hyperbolic tangent. */
public final class Tanh extends Layer {

    @Override
    public Variable forward(Variable x) {
        return x.tanh();
    }
}
