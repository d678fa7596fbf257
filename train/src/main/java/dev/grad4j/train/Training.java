package dev.grad4j.train;

import dev.grad4j.autograd.Variable;
import dev.grad4j.data.Dataset;
import dev.grad4j.data.Split;
import dev.grad4j.nn.Layer;
import dev.grad4j.optim.Optimizer;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * {@code fit} in one call, with options as static factories, made to be imported whole:
 *
 * <pre>{@code
 * import static dev.grad4j.train.Training.*;
 *
 * var result = fit(model, opt, Losses::crossEntropy, data,             // data: a Split (train, validation)
 *                  epochs(200), batchSize(16), earlyStopping(20), bestWeights("out/best.npz"));
 * System.out.println(result.best());
 * }</pre>
 * Each option sets the {@link Trainer} setting of the same name; see there for what it does.
 */
public final class Training {

    /** One setting of a {@link Trainer}. */
    @FunctionalInterface
    public interface Option {
        void applyTo(Trainer trainer);
    }

    private Training() {
    }

    /** Trains on {@code data.train()}, validating on {@code data.validation()} when the split has two or more parts. */
    public static FitResult fit(Layer model, Optimizer<?> optimizer, BiFunction<Variable, Variable, Variable> loss,
                                Split data, Option... options) {
        Objects.requireNonNull(data, "data must not be null");
        return fit(model, optimizer, loss, data.train(), data.size() > 1 ? data.validation() : null, options);
    }

    /** Trains on {@code train}, validating on {@code validation} (may be null). */
    public static FitResult fit(Layer model, Optimizer<?> optimizer, BiFunction<Variable, Variable, Variable> loss,
                                Dataset train, Dataset validation, Option... options) {
        Trainer t = Trainer.of(model, optimizer, loss);
        for (Option o : options) {
            Objects.requireNonNull(o, "option").applyTo(t);
        }
        return t.fit(train, validation);
    }

    public static Option epochs(int epochs) {
        return t -> t.epochs(epochs);
    }

    public static Option batchSize(int batchSize) {
        return t -> t.batchSize(batchSize);
    }

    public static Option shuffle(long seed) {
        return t -> t.shuffle(seed);
    }

    public static Option earlyStopping(int patience) {
        return t -> t.earlyStopping(patience);
    }

    public static Option earlyStopping(String monitor, int patience) {
        return t -> t.earlyStopping(monitor, patience);
    }

    public static Option clipGradNorm(double maxNorm) {
        return t -> t.clipGradNorm(maxNorm);
    }

    public static Option clipGradValue(double clip) {
        return t -> t.clipGradValue(clip);
    }

    public static Option bestWeights(String file) {
        return bestWeights(Path.of(file));
    }

    public static Option bestWeights(Path file) {
        return t -> t.bestWeights(file);
    }

    public static Option checkpoints(Path file, int everyEpochs) {
        return t -> t.checkpoints(file, everyEpochs);
    }

    public static Option resumeFrom(Path checkpoint) {
        return t -> t.resumeFrom(checkpoint);
    }

    public static Option metricsLog(Path file) {
        return t -> t.metricsLog(file);
    }

    public static Option report(String dir) {
        return report(Path.of(dir));
    }

    public static Option report(Path dir) {
        return t -> t.report(dir);
    }

    public static Option health(GradientHealth health) {
        return t -> t.health(health);
    }

    public static Option silent() {
        return Trainer::silent;
    }

    public static Option callbacks(Callback... callbacks) {
        return t -> t.callbacks(callbacks);
    }
}
