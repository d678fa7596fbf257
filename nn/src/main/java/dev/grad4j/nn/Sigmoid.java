package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

/** Activation module: logistic sigmoid, 1 / (1 + e^-x). */
public final class Sigmoid extends Layer {

    @Override
    public Variable forward(Variable x) {
        return x.sigmoid();
    }
}
