package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Layers applied in order, usually made with {@link Layers#sequential}:
 * {@code sequential(linear(2, 8), tanh(), linear(8, 1))}. Any {@code UnaryOperator<Variable>}
 * (a lambda, a method reference such as {@code Variable::square}) is accepted as a layer without
 * parameters ({@link Lambda}). Children are named {@code "0"}, {@code "1"}, ... so parameters are
 * {@code "0.weight"}, {@code "0.bias"}, ...
 */
public final class Sequential extends Layer {

    private final List<Layer> layers = new ArrayList<>();

    public Sequential(List<? extends UnaryOperator<Variable>> layers) {
        if (layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("Sequential needs at least one layer");
        }
        for (UnaryOperator<Variable> f : layers) {
            if (f == null) {
                throw new IllegalArgumentException("Sequential got a null layer at index " + this.layers.size());
            }
            Layer m = f instanceof Layer l ? l : new Lambda(f);
            this.layers.add(registerLayer(Integer.toString(this.layers.size()), m));
        }
    }

    @SafeVarargs
    public static Sequential of(UnaryOperator<Variable>... layers) {
        return new Sequential(layers == null ? null : java.util.Arrays.asList(layers));
    }

    /** Layer {@code i}. */
    public Layer get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = x;
        for (Layer m : layers) {
            y = m.apply(y);
        }
        return y;
    }

    @Override
    protected String describe() {
        return "Sequential";
    }
}
