package dev.grad4j.nn;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

/**
 * A leaf variable that a {@link Module} owns and an optimizer updates: it requires grad (a module
 * can freeze it with {@code requiresGrad(false)}).
 */
public final class Parameter extends Variable {

    public Parameter(Tensor data) {
        super(data, true);
    }
}
