package dev.grad4j.optim;

import dev.grad4j.api.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One parameter's optimizer state, PyTorch's {@code optimizer.state[p]}: named buffers with the
 * parameter's shape and dtype (momentum, moment estimates, ...) and a step count. An optimizer
 * makes it empty at the parameter's first update and gives it to {@link Optimizer#update} every
 * step; {@link Optimizer#stateDict()} saves it as {@code state.<g>.<i>.<name>}.
 */
public final class ParamState {

    private long step;
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();

    ParamState() {
    }

    /** How many updates this parameter has had (counted by optimizers that call {@link #incrementStep()}). */
    public long step() {
        return step;
    }

    /** Adds one to the step count and returns the new count. */
    public long incrementStep() {
        return ++step;
    }

    /** The buffer called {@code name}, or null if there is none yet. */
    public Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** The buffer called {@code name}, made as zeros like {@code param} if there is none yet. */
    public Tensor zerosBuffer(String name, Tensor param) {
        return buffers.computeIfAbsent(name, n -> param.zerosLike());
    }

    /** Stores {@code buffer} (the parameter's shape and dtype) under {@code name}. */
    public void putBuffer(String name, Tensor buffer) {
        buffers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(buffer, "buffer"));
    }

    Map<String, Tensor> buffers() {
        return buffers;
    }

    void setStep(long step) {
        this.step = step;
    }

    boolean isEmpty() {
        return step == 0 && buffers.isEmpty();
    }
}
