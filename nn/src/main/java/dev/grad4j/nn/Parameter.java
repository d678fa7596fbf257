package dev.grad4j.nn;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

/**
 * A leaf variable that a {@link Layer} owns and an optimizer updates: it requires grad (a layer
 * can freeze it with {@code requiresGrad(false)}). Once registered it knows where it lives, so
 * messages about it read {@code layer 2 (Linear) of Sequential, weight}.
 */
public final class Parameter extends Variable {

    private Layer owner;
    private String localName;

    public Parameter(Tensor data) {
        super(data, true);
    }

    /** Records the layer that registered this parameter first, and its name there. */
    void ownedBy(Layer layer, String name) {
        if (owner == null) {
            owner = layer;
            localName = name;
        }
    }

    /** {@code layer 2 (Linear) of Sequential, weight}, or null for a parameter no layer has registered. */
    public String path() {
        return owner == null ? null : owner.path() + ", " + localName;
    }

    /** {@code layer 2 (Linear) of Sequential, weight: Parameter FLOAT32 [8, 2]}. */
    @Override
    public String describe() {
        String p = path();
        return p == null ? super.describe() : p + ": Parameter " + dtype() + " " + shape();
    }
}
