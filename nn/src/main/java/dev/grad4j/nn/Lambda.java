package dev.grad4j.nn;

import dev.grad4j.autograd.Variable;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A function without parameters used as a layer: what {@link Layers#sequential} makes of a lambda
 * or a method reference ({@code sequential(linear(4, 8), Variable::square, linear(8, 1))}), or
 * {@link Layers#lambda(String, UnaryOperator)} with a name for summaries and messages.
 */
public final class Lambda extends Layer {

    private final UnaryOperator<Variable> fn;
    private final String name;

    public Lambda(UnaryOperator<Variable> fn) {
        this("Lambda", fn);
    }

    public Lambda(String name, UnaryOperator<Variable> fn) {
        this.fn = Objects.requireNonNull(fn, "fn must not be null");
        this.name = Objects.requireNonNull(name, "name must not be null");
    }

    /** The name given for summaries and messages ({@code "Lambda"} when none was). */
    public String name() {
        return name;
    }

    @Override
    public Variable forward(Variable input) {
        Variable out = fn.apply(input);
        if (out == null) {
            throw new IllegalStateException(path() + " (" + name + ") returned null");
        }
        return out;
    }

    @Override
    protected String describe() {
        return name.equals("Lambda") ? "Lambda()" : "Lambda(" + name + ")";
    }
}
