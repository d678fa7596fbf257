package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied in order: {@code Sequential.of(new Linear(2, 8), new Tanh(), new Linear(8, 1))}.
 * Children are named {@code "0"}, {@code "1"}, ... so parameters are {@code "0.weight"}, {@code "0.bias"}, ...
 */
public final class Sequential extends Module {

    private final List<Module> layers = new ArrayList<>();

    public Sequential(List<? extends Module> modules) {
        if (modules == null || modules.isEmpty()) {
            throw new IllegalArgumentException("Sequential needs at least one module");
        }
        for (Module m : modules) {
            if (m == null) {
                throw new IllegalArgumentException("Sequential got a null module at index " + layers.size());
            }
            layers.add(registerModule(Integer.toString(layers.size()), m));
        }
    }

    public static Sequential of(Module... modules) {
        return new Sequential(List.of(modules));
    }

    /** Layer {@code i}. */
    public Module get(int i) {
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = x;
        for (Module m : layers) {
            y = m.forward(y);
        }
        return y;
    }

    @Override
    protected String describe() {
        return "Sequential";
    }
}
