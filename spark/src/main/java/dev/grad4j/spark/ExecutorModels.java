package dev.grad4j.spark;

import dev.grad4j.api.Tensor;
import dev.grad4j.nn.GeneratorState;
import dev.grad4j.nn.Layer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The models an executor JVM keeps between steps, so a step does not build (and initialize) the
 * model again: per run, backend and dtype, a pool of models, each used by one task at a time. Only
 * the pools of the last {@value #RUNS} runs are kept.
 *
 * <p>A model is reused only when what it keeps between calls can be put back to a state that
 * depends on the step and partition alone: its weights are the driver's every step, and its extra
 * state may hold random generators (dropout's), which {@link #reseed} sets from the task's seed, so
 * a retried task draws the same masks. A model with any other extra state is built anew each step.
 */
final class ExecutorModels {

    static final int RUNS = 4;

    private static final Map<String, Deque<Layer>> POOLS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Layer>> eldest) {
            return size() > RUNS;
        }
    };

    private ExecutorModels() {
    }

    /** A pooled model for {@code key}, or null when there is none free. */
    static synchronized Layer take(String key) {
        Deque<Layer> pool = POOLS.get(key);
        return pool == null ? null : pool.poll();
    }

    /** Returns {@code model} to {@code key}'s pool. */
    static synchronized void give(String key, Layer model) {
        POOLS.computeIfAbsent(key, k -> new ArrayDeque<>()).push(model);
    }

    /** The number of pooled models of run {@code run} (for tests). */
    static synchronized int pooled(String run) {
        return POOLS.entrySet().stream().filter(e -> e.getKey().startsWith(run + "/")).mapToInt(e -> e.getValue().size()).sum();
    }

    /**
     * Sets every random generator in {@code model}'s extra state from {@code seed} and the entry's
     * name; false (and nothing changed) when the extra state holds anything else, and the model
     * must not be reused.
     */
    static boolean reseed(Layer model, long seed) {
        Map<String, Tensor> extra = model.extraStateDict();
        if (extra.isEmpty()) {
            return true;
        }
        Map<String, Tensor> fresh = new LinkedHashMap<>();
        for (String name : extra.keySet()) {
            if (!(name.equals("generator") || name.endsWith(".generator"))) {
                return false;
            }
            fresh.put(name, GeneratorState.of(new Random(seed * 1_000_003L + name.hashCode())));
        }
        model.loadExtraStateDict(fresh);
        return true;
    }
}
