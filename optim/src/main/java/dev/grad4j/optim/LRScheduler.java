package dev.grad4j.optim;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A learning-rate schedule bound to an optimizer: it sets every parameter group's learning rate
 * from the group's base learning rate (its lr when the scheduler was made) and the epoch count,
 * with PyTorch's formulas. Making it sets epoch 0's rates; call {@link #step()} once per epoch,
 * after the epoch's optimizer steps:
 *
 * <pre>{@code
 * LRScheduler schedule = new CosineAnnealingLR(opt, epochs);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     train(opt);          // opt.step() per batch, at lr(epoch)
 *     schedule.step();     // epoch + 1
 * }
 * }</pre>
 *
 * <p>Each schedule is written in closed form, {@code lr = f(epoch, baseLr)}, so schedules compose
 * exactly: {@link LinearWarmup} runs a warm-up and then hands the epochs over to another schedule.
 * Only one scheduler should drive an optimizer; one that is wrapped by a warm-up refuses
 * {@code step()} itself.
 *
 * <p>Every rate a schedule computes must pass {@link OptimizerConfig#checkLr(double)}, the rule of
 * every optimizer: a finite number {@code >= 0}. A schedule may reach 0 (a warm-up from a start
 * factor of 0, cosine annealing to {@code etaMin = 0}); the optimizer's steps at lr 0 advance its
 * state and leave the parameters unchanged. A rate that breaks the rule is refused with an
 * {@link IllegalStateException} before any group changes.
 *
 * <p>To write a schedule, subclass this type, implement {@link #lrAt}, check the arguments in the
 * constructor and call {@link #start()} at its end.
 */
public abstract class LRScheduler {

    private static final String LAST_EPOCH = "lastEpoch";
    private static final String BASE_LR = "baseLr.";

    private final Optimizer<?> optimizer;
    private final double[] baseLrs;
    private final double[] lastLrs;
    private int lastEpoch = -1;
    private LRScheduler driver;

    /** Records the optimizer's current group learning rates as the base rates; changes nothing yet. */
    protected LRScheduler(Optimizer<?> optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer must not be null");
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        this.baseLrs = new double[groups.size()];
        for (int g = 0; g < baseLrs.length; g++) {
            baseLrs[g] = groups.get(g).lr();
        }
        this.lastLrs = baseLrs.clone();
    }

    /** The learning rate at {@code epoch} (0, 1, ...) of a group whose base learning rate is {@code baseLr}. */
    protected abstract double lrAt(int epoch, double baseLr);

    /** Sets epoch 0's learning rates; a subclass constructor calls it last, once its fields are set. */
    protected final void start() {
        if (lastEpoch != -1) {
            throw new IllegalStateException(getClass().getSimpleName() + " was already started");
        }
        apply(0);
    }

    /** Moves to the next epoch and sets its learning rates on the optimizer. */
    public final void step() {
        checkStarted();
        if (driver != null) {
            throw new IllegalStateException("this " + getClass().getSimpleName() + " is driven by a "
                    + driver.getClass().getSimpleName() + "; call step() on the " + driver.getClass().getSimpleName()
                    + " only");
        }
        apply(lastEpoch + 1);
    }

    /** Moves to {@code epoch} and sets its rates, or throws having changed nothing. */
    private void apply(int epoch) {
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        double[] lrs = new double[baseLrs.length];
        for (int g = 0; g < lrs.length; g++) {
            lrs[g] = lrAt(epoch, baseLrs[g]);
            try {
                OptimizerConfig.checkLr(lrs[g]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(getClass().getSimpleName() + " computed the learning rate " + lrs[g]
                        + " for group " + g + " at epoch " + epoch + " (base " + baseLrs[g] + "): " + e.getMessage(), e);
            }
        }
        for (int g = 0; g < lrs.length; g++) {
            groups.get(g).setLr(lrs[g]);
        }
        System.arraycopy(lrs, 0, lastLrs, 0, lrs.length);
        lastEpoch = epoch;
    }

    private void checkStarted() {
        if (lastEpoch < 0) {
            throw new IllegalStateException(getClass().getSimpleName() + " was not started: its constructor must call "
                    + "start() last");
        }
    }

    /** The optimizer this schedule drives. */
    public final Optimizer<?> optimizer() {
        return optimizer;
    }

    /** The number of {@link #step()} calls so far (0 right after construction). */
    public final int lastEpoch() {
        return lastEpoch;
    }

    /** The learning rates this schedule set last, one per parameter group. */
    public final double[] lastLr() {
        return lastLrs.clone();
    }

    /** The base learning rates, one per parameter group. */
    public final double[] baseLrs() {
        return baseLrs.clone();
    }

    /** Marks this scheduler as driven by {@code driver} (a warm-up); checks it can be. */
    final void drivenBy(LRScheduler driver) {
        if (this.driver != null) {
            throw new IllegalArgumentException("this " + getClass().getSimpleName() + " is already driven by another "
                    + this.driver.getClass().getSimpleName());
        }
        if (lastEpoch != 0) {
            throw new IllegalArgumentException("the schedule to continue with must be fresh (epoch 0), but this "
                    + getClass().getSimpleName() + " is at epoch " + lastEpoch);
        }
        this.driver = driver;
    }

    /** Takes {@code other}'s base learning rates (same optimizer). */
    final void useBaseLrsOf(LRScheduler other) {
        System.arraycopy(other.baseLrs, 0, baseLrs, 0, baseLrs.length);
    }

    /** {@code lastEpoch} and {@code baseLr.<g>} per group, as 0-d FLOAT64 tensors (for resuming). */
    public final Map<String, Tensor> stateDict() {
        checkStarted();
        Backend b = optimizer.paramGroups().get(0).params().get(0).backend();
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(LAST_EPOCH, b.scalar(lastEpoch, DType.FLOAT64));
        for (int g = 0; g < baseLrs.length; g++) {
            out.put(BASE_LR + g, b.scalar(baseLrs[g], DType.FLOAT64));
        }
        return out;
    }

    /**
     * Restores the epoch and base learning rates saved by {@link #stateDict()} and sets that
     * epoch's learning rates on the optimizer. Everything is checked first; a mismatch throws an
     * {@link IllegalArgumentException} listing the problems and changes nothing.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Objects.requireNonNull(state, "state must not be null");
        checkStarted();
        if (driver != null) {
            throw new IllegalStateException("this " + getClass().getSimpleName() + " is driven by a "
                    + driver.getClass().getSimpleName() + "; load the state into the "
                    + driver.getClass().getSimpleName());
        }
        Set<String> unused = new LinkedHashSet<>(state.keySet());
        List<String> problems = new ArrayList<>();
        Double epoch = scalar(state, LAST_EPOCH, unused, problems);
        if (epoch != null && !(epoch >= 0 && epoch == Math.rint(epoch) && epoch <= Integer.MAX_VALUE)) {
            problems.add(LAST_EPOCH + " = " + epoch + ": must be a whole number >= 0");
        }
        double[] bases = new double[baseLrs.length];
        for (int g = 0; g < bases.length; g++) {
            Double v = scalar(state, BASE_LR + g, unused, problems);
            if (v != null) {
                try {
                    bases[g] = OptimizerConfig.checkLr(BASE_LR + g, v);
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!unused.isEmpty()) {
            problems.add("unexpected: " + unused + " (this optimizer has " + baseLrs.length + " parameter group"
                    + (baseLrs.length == 1 ? ")" : "s)"));
        }
        if (problems.isEmpty()) {
            for (int g = 0; g < bases.length; g++) {
                double lr = lrAt(epoch.intValue(), bases[g]);
                try {
                    OptimizerConfig.checkLr(lr);
                } catch (IllegalArgumentException e) {
                    problems.add("the state gives the learning rate " + lr + " for group " + g + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load the state into " + getClass().getSimpleName()
                    + ", nothing was changed; " + String.join("; ", problems));
        }
        System.arraycopy(bases, 0, baseLrs, 0, bases.length);
        apply(epoch.intValue());
    }

    private static Double scalar(Map<String, Tensor> state, String key, Set<String> unused, List<String> problems) {
        unused.remove(key);
        Tensor t = state.get(key);
        if (t == null) {
            problems.add("missing: " + key);
            return null;
        }
        if (!t.shape().isScalar() || t.dtype() != DType.FLOAT64) {
            problems.add(key + " is " + t.dtype() + " " + t.shape() + ", expected a 0-d FLOAT64 tensor");
            return null;
        }
        return t.item();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(lastEpoch=" + lastEpoch + ", lr=" + java.util.Arrays.toString(lastLrs) + ")";
    }
}
