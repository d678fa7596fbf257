package dev.grad4j.optim;

import java.util.Map;
import java.util.Set;

/**
 * The hyper-parameters of one parameter group of an optimizer, as one immutable, validated value:
 * {@link SGD.Config}, {@link Adam.Config} (also AdamW's), {@link RMSprop.Config}. It is
 * PyTorch's {@code param_group} dictionary without the {@code params} entry, typed:
 *
 * <pre>{@code
 * SGD.Config c = SGD.config(0.1).momentum(0.9).nesterov(true);    // each call returns a new record
 * Optimizer<SGD.Config> opt = SGD.of(params, c);
 * }</pre>
 *
 * <h2>The rules</h2>
 * <ul>
 *   <li>Each field is checked alone when the record is made (by its canonical constructor, so also
 *       by every wither): a bad value throws an {@link IllegalArgumentException} that names it,
 *       e.g. {@code invalid momentum = -1.0: must be a finite number >= 0}.</li>
 *   <li>Rules that tie fields together (SGD's Nesterov momentum needs a momentum {@code > 0} and
 *       zero dampening) are checked by {@link #validate()}, which the optimizer calls when it is
 *       built and when a state is loaded, not by the withers: the order of the calls does not
 *       matter.</li>
 *   <li>The learning rate follows one rule everywhere, {@link #checkLr(double)}: a finite number
 *       {@code >= 0}, as in PyTorch. Zero is allowed (schedules such as cosine annealing reach it):
 *       a step at lr 0 still advances the state (step counts, moment estimates, momentum buffers)
 *       and leaves the parameters as they are.</li>
 * </ul>
 *
 * <h2>Saving</h2>
 * {@link #hyperParameters()}, {@link #withHyperParameters} and {@link #structuralHyperParameters()}
 * are what {@link Optimizer#stateDict()} and {@link Optimizer#loadStateDict} need: each field as a
 * named number (flags 0 or 1), a config rebuilt from such numbers, and the fields that define the
 * kind of optimizer and must match when a state is loaded.
 *
 * <p>Implement it with a record when writing an optimizer; the component accessors and the
 * withers overloaded on them make the fluent style.
 *
 * @param <C> the implementing type, which the withers return
 */
public interface OptimizerConfig<C extends OptimizerConfig<C>> {

    /** The learning rate: a finite number {@code >= 0}. */
    double lr();

    /**
     * This config with another learning rate ({@code param_group['lr'] = lr}).
     *
     * @throws IllegalArgumentException unless {@code lr} passes {@link #checkLr(double)}
     */
    C lr(double lr);

    /**
     * Checks the rules that tie several fields together; each field alone was checked when the
     * record was made. The default has none.
     *
     * @throws IllegalArgumentException naming the values that do not go together
     */
    default void validate() {
    }

    /**
     * Every field as a number by name, in a fixed order that starts with {@code "lr"}; flags are
     * 0 (false) or 1 (true). These are the {@code group.<g>.<name>} entries of a state dict.
     */
    Map<String, Double> hyperParameters();

    /**
     * A config of this kind with the given values (the names of {@link #hyperParameters()}),
     * each checked as the record's constructor checks it, and flags required to be exactly 0 or 1.
     * Cross-field rules are left to {@link #validate()}.
     *
     * @throws IllegalArgumentException for a missing name or a bad value, naming it
     */
    C withHyperParameters(Map<String, Double> values);

    /**
     * The names among {@link #hyperParameters()} that define the kind of optimizer (e.g.
     * {@code nesterov}, {@code amsgrad}): a state saved with other values does not load. None by
     * default.
     */
    default Set<String> structuralHyperParameters() {
        return Set.of();
    }

    /**
     * The learning-rate rule, PyTorch's: a finite number {@code >= 0}. Every config, {@link
     * ParamGroup#setLr} and every {@link LRScheduler} use it.
     *
     * @return {@code lr}
     * @throws IllegalArgumentException otherwise, e.g. {@code invalid learning rate lr = NaN: must be a
     *                                  finite number >= 0}
     */
    static double checkLr(double lr) {
        return checkLr("learning rate lr", lr);
    }

    /**
     * {@link #checkLr(double)} for a value called {@code name} in the message (e.g. a schedule's
     * {@code baseLr.0}).
     */
    static double checkLr(String name, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("invalid " + name + " = " + lr + ": must be a finite number >= 0");
        }
        return lr;
    }
}
