package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

/** Activation module: rectified linear unit, max(x, 0). */
public final class ReLU extends Layer {

    @Override
    public Variable forward(Variable x) {
        return x.relu();
    }
}
