package dev.grad4j.train;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.HookHandle;
import dev.grad4j.autograd.Variable;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.Parameter;
import dev.grad4j.nn.ReLU;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Watches what the course teaches to watch, per parameter and per epoch, and warns (once per kind
 * and place) when training looks unhealthy:
 * <ul>
 *   <li>the gradient norm, averaged over the epoch's batches: above {@link #exploding} (default
 *       10) it warns of exploding gradients, below {@link #vanishing} (default 1e-5) while the
 *       loss is still above 1e-3, of vanishing ones;</li>
 *   <li>the update/weight ratio {@code |Δw| / |w|} of the epoch's last step;</li>
 *   <li>weight and gradient histograms;</li>
 *   <li>the fraction of dead units of each ReLU layer (zero for every row of the epoch's last
 *       batch): above half, it warns;</li>
 *   <li>a NaN or infinite gradient: it names the parameter and stops the run before the optimizer
 *       step, so the weights stay the last good ones;</li>
 *   <li>a loss that has not moved since the first epoch, and weight matrices whose rows are all
 *       equal (zero initialisation: every unit of the layer computes the same thing for ever);</li>
 *   <li>a train/validation accuracy gap above 10 points that is wider than three epochs before
 *       (overfitting).</li>
 * </ul>
 * Statistics are computed under no-grad from the gradients the step already has; the per-batch
 * cost is one squared-norm reduction per parameter.
 */
public final class GradientHealth implements Callback {

    private static final int BINS = 30;

    private final boolean enabled;
    private double exploding = 10;
    private double vanishing = 1e-5;

    private List<Parameter> params = List.of();
    private double[] normSums = new double[0];
    private int batches;
    private Tensor[] before;
    private final Map<String, LayerStats> stats = new LinkedHashMap<>();
    private final Map<String, Double> dead = new LinkedHashMap<>();
    private final Map<String, Histogram> weights = new LinkedHashMap<>();
    private final Map<String, Histogram> gradients = new LinkedHashMap<>();
    private final List<HookHandle> hooks = new ArrayList<>();
    private boolean watchActivations;

    /** Health on, with the default thresholds. */
    public GradientHealth() {
        this(true);
    }

    private GradientHealth(boolean enabled) {
        this.enabled = enabled;
    }

    /** No health statistics and no health warnings (a non-finite loss still stops the run). */
    public static GradientHealth off() {
        return new GradientHealth(false);
    }

    /** Warns of exploding gradients above {@code norm} (default 10). */
    public GradientHealth exploding(double norm) {
        if (!(norm > 0)) {
            throw new IllegalArgumentException("the exploding threshold must be > 0, got " + norm);
        }
        this.exploding = norm;
        return this;
    }

    /** Warns of vanishing gradients below {@code norm} (default 1e-5). */
    public GradientHealth vanishing(double norm) {
        if (!(norm >= 0)) {
            throw new IllegalArgumentException("the vanishing threshold must be >= 0, got " + norm);
        }
        this.vanishing = norm;
        return this;
    }

    boolean enabled() {
        return enabled;
    }

    /** The exploding threshold. */
    double exploding() {
        return exploding;
    }

    @Override
    public void onTrainBegin(FitState run) {
        params = new ArrayList<>();
        for (Parameter p : run.model().parameters()) {
            params.add(p);
        }
        normSums = new double[params.size()];
        for (Layer l : run.model().layers()) {
            if (l instanceof ReLU) {
                hooks.add(l.registerForwardHook(this::watch));
            }
        }
        checkSymmetry(run);
    }

    @Override
    public void onEpochBegin(FitState run) {
        java.util.Arrays.fill(normSums, 0);
        batches = 0;
        stats.clear();
        dead.clear();
        weights.clear();
        gradients.clear();
        watchActivations = false;
    }

    @Override
    public void onBatchBegin(FitState run) {
        watchActivations = isLastBatch(run);
    }

    @Override
    public void afterBackward(FitState run) {
        watchActivations = false;
        boolean last = isLastBatch(run);
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            double n = Math.sqrt(g.square().sum().item());
            if (!Double.isFinite(n)) {
                run.warn(TrainingWarning.Kind.NON_FINITE, name(p), "the gradient of " + name(p) + " holds NaN or "
                        + "infinite values at epoch " + (run.epoch() + 1) + ", batch " + (run.batchIndex() + 1)
                        + "; the run stopped before the optimizer step, with the last good weights. Lower the "
                        + "learning rate, clip the gradients, or look for an exploding loss");
                run.fail("non-finite gradient in " + name(p));
                return;
            }
            normSums[i] += n;
            if (last) {
                gradients.put(name(p), Histogram.of(g.toDoubleArray(), BINS));
            }
        }
        batches++;
        if (last) {
            before = new Tensor[params.size()];
            for (int i = 0; i < params.size(); i++) {
                before[i] = params.get(i).data().copy();
            }
        }
    }

    @Override
    public void onBatchEnd(FitState run) {
        if (!isLastBatch(run) || before == null) {
            return;
        }
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            Tensor w = p.data();
            double wn = Math.sqrt(w.square().sum().item());
            double dn = Math.sqrt(w.sub(before[i]).square().sum().item());
            double grad = batches == 0 ? Double.NaN : normSums[i] / batches;
            stats.put(name(p), new LayerStats(grad, wn == 0 ? (dn == 0 ? 0 : Double.POSITIVE_INFINITY) : dn / wn, wn));
            weights.put(name(p), Histogram.of(w.toDoubleArray(), BINS));
        }
        before = null;
    }

    private void watch(Layer layer, Variable input, Variable output) {
        if (!watchActivations || output.rank() < 2) {
            return;
        }
        // a unit is dead for this batch when it is zero in every row
        double[] alive = output.data().gt(0.0).sum(0).toDoubleArray();
        int deadUnits = 0;
        for (double a : alive) {
            deadUnits += a == 0 ? 1 : 0;
        }
        dead.put(layer.path(), alive.length == 0 ? 0 : deadUnits / (double) alive.length);
    }

    @Override
    public void onEpochEnd(FitState run) {
        EpochRecord r = run.last();
        stats.forEach((where, s) -> {
            if (s.gradNorm() > exploding) {
                run.warn(TrainingWarning.Kind.EXPLODING_GRADIENTS, where, String.format(Locale.ROOT,
                        "exploding gradients: the gradient norm of %s is %.3g (above %.3g); lower the learning rate "
                                + "or clip the gradients (clipGradNorm)", where, s.gradNorm(), exploding));
            } else if (s.gradNorm() < vanishing && r.trainLoss() > 1e-3) {
                run.warn(TrainingWarning.Kind.VANISHING_GRADIENTS, where, String.format(Locale.ROOT,
                        "vanishing gradients: the gradient norm of %s is %.3g (below %.3g) while the loss is %.3g; "
                                + "check the initialisation (too small?) and saturating activations", where,
                        s.gradNorm(), vanishing, r.trainLoss()));
            }
        });
        dead.forEach((where, f) -> {
            if (f > 0.5) {
                run.warn(TrainingWarning.Kind.DEAD_RELU, where, String.format(Locale.ROOT,
                        "%.0f%% of the units of %s output zero for every input of a batch (dead ReLUs); lower the "
                                + "learning rate, or use leakyRelu or a Kaiming initialisation", 100 * f, where));
            }
        });
        List<EpochRecord> h = run.history();
        if (h.size() >= 3) {
            double first = h.get(0).trainLoss();
            boolean flat = true;
            for (EpochRecord e : h) {
                flat &= Math.abs(e.trainLoss() - first) <= 1e-3 * Math.max(1, Math.abs(first));
            }
            if (flat) {
                run.warn(TrainingWarning.Kind.FLAT_LOSS, "model", String.format(Locale.ROOT,
                        "the training loss has stayed at %.6g since the first epoch; check the initialisation (all "
                                + "zeros never breaks the symmetry between units), the learning rate and the labels",
                        first));
            }
        }
        if (h.size() >= 4) {
            double gap = r.gap();
            double earlier = h.get(h.size() - 4).gap();
            if (gap > 10 && gap > earlier) {
                run.warn(TrainingWarning.Kind.OVERFITTING, "model", String.format(Locale.ROOT,
                        "overfitting: training accuracy is %.1f points above validation accuracy (%.1f%% vs %.1f%%) "
                                + "and the gap has widened from %.1f three epochs ago; use more data, a smaller model, "
                                + "dropout or weight decay, or stop earlier (earlyStopping)", gap,
                        100 * r.trainAccuracy(), 100 * r.valAccuracy(), earlier));
            }
        }
        checkSymmetry(run);
    }

    @Override
    public void onTrainEnd(FitState run) {
        hooks.forEach(HookHandle::remove);
        hooks.clear();
    }

    /** Weight matrices with more than one row whose rows are all equal. */
    private void checkSymmetry(FitState run) {
        for (Parameter p : params) {
            if (p.rank() != 2 || p.shape().dim(0) < 2 || p.size() == 0) {
                continue;
            }
            Tensor w = p.data();
            Tensor spread = w.max(0).sub(w.min(0)).abs().max();
            if (spread.item() == 0) {
                run.warn(TrainingWarning.Kind.SYMMETRIC_WEIGHTS, name(p), "every row of " + name(p) + " " + p.shape()
                        + " is the same, so its " + p.shape().dim(0) + " units compute the same thing and receive the "
                        + "same gradient: they will never differ. Initialise the weights randomly (the layers' "
                        + "default), not to a constant");
            }
        }
    }

    private static boolean isLastBatch(FitState run) {
        return run.batchIndex() == run.stepsPerEpoch() - 1;
    }

    private static String name(Parameter p) {
        String path = p.path();
        return path != null ? path : p.describe();
    }

    Map<String, LayerStats> parameterStats() {
        return stats;
    }

    Map<String, Double> deadUnits() {
        return dead;
    }

    Map<String, Histogram> weightHistograms() {
        return weights;
    }

    Map<String, Histogram> gradientHistograms() {
        return gradients;
    }
}
