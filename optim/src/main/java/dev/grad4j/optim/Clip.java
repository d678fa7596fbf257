package dev.grad4j.optim;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;

/**
 * Gradient clipping, in place, between {@code backward()} and {@code step()}, with PyTorch's
 * semantics ({@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}):
 *
 * <pre>{@code
 * loss.backward();
 * double norm = Clip.gradNorm(params, 1.0, 2.0);   // the norm before clipping
 * opt.step();
 * }</pre>
 *
 * Parameters whose gradient is null are skipped. Giving the same parameter twice is refused
 * (it would be counted, and scaled, twice).
 *
 * <h2>Clipping by norm</h2>
 * The gradients are treated as one vector {@code G}, the concatenation of all of them:
 * <pre>
 * total = ||G||_p = (sum_i ||g_i||_p^p)^(1/p)        (p = Inf: max_i max|g_i|)
 * coef  = min(maxNorm / (total + 1e-6), 1)
 * g_i   = g_i * coef                                 (for every gradient; a no-op when coef = 1)
 * </pre>
 *
 * <h2>A NaN or infinite total norm</h2>
 * With {@code errorIfNonfinite = true} an {@link IllegalStateException} naming the norm is thrown
 * and the gradients are left unchanged. With {@code errorIfNonfinite = false} (the default, as in
 * PyTorch) the formula above is applied anyway and the non-finite norm is returned:
 * <ul>
 *   <li>NaN total (some gradient holds a NaN): {@code coef} is NaN, so <em>every</em> gradient
 *       becomes all NaN;</li>
 *   <li>+Inf total (some gradient holds ±Inf, or the sum overflows): {@code coef} is 0, so finite
 *       entries become 0 and ±Inf entries become NaN.</li>
 * </ul>
 * A step with such gradients would spoil the parameters: check the returned norm with
 * {@link Double#isFinite} and skip the step (and zero the gradients) when it is not, or pass
 * {@code errorIfNonfinite = true}.
 *
 * <h2>Clipping by value</h2>
 * {@link #gradValue} clamps every gradient element into {@code [-clip, clip]}; ±Inf becomes
 * ±clip and NaN stays NaN.
 */
public final class Clip {

    private static final double EPS = 1e-6;

    private Clip() {
    }

    /** {@link #gradNorm(Iterable, double, double, boolean)} with the 2-norm and {@code errorIfNonfinite = false}. */
    public static double gradNorm(Iterable<? extends Variable> params, double maxNorm) {
        return gradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #gradNorm(Iterable, double, double, boolean)} with {@code errorIfNonfinite = false}. */
    public static double gradNorm(Iterable<? extends Variable> params, double maxNorm, double normType) {
        return gradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales the gradients in place so that their total {@code normType}-norm is at most
     * {@code maxNorm}, and returns the total norm before clipping (0 when no parameter has a
     * gradient).
     *
     * @param maxNorm          the largest total norm allowed, {@code >= 0} (+Inf: never clip)
     * @param normType         {@code p > 0} of the p-norm, or {@link Double#POSITIVE_INFINITY} for the max norm
     * @param errorIfNonfinite throw instead of scaling when the total norm is NaN or infinite
     * @throws IllegalArgumentException for a NaN or negative {@code maxNorm}, a {@code normType}
     *                                  that is not {@code > 0}, null or repeated parameters
     * @throws IllegalStateException    when {@code errorIfNonfinite} and the total norm is NaN or
     *                                  infinite; no gradient is changed
     */
    public static double gradNorm(Iterable<? extends Variable> params, double maxNorm, double normType,
                                  boolean errorIfNonfinite) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("invalid maxNorm = " + maxNorm + ": must be a number >= 0");
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("invalid normType = " + normType + ": must be a number > 0 "
                    + "(Double.POSITIVE_INFINITY for the max norm)");
        }
        List<Variable> withGrads = withGrads(params, "gradNorm");
        if (withGrads.isEmpty()) {
            return 0.0;
        }
        double total = 0;
        boolean inf = normType == Double.POSITIVE_INFINITY;
        Variable firstNonFinite = null;
        for (Variable p : withGrads) {
            double n = norm(p.grad(), normType);
            if (firstNonFinite == null && !Double.isFinite(n)) {
                firstNonFinite = p;
            }
            total = inf ? max(total, n) : total + Math.pow(n, normType);
        }
        if (!inf) {
            total = normType == 1 ? total : normType == 2 ? Math.sqrt(total) : Math.pow(total, 1 / normType);
        }
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("the total norm of order " + normType + " of the gradients is " + total
                    + (firstNonFinite != null ? ", first from the gradient of " + firstNonFinite.describe() : "")
                    + ", so they cannot be clipped; the gradients were left unchanged. To scale them by the non-finite "
                    + "norm anyway (as PyTorch does by default), pass errorIfNonfinite = false");
        }
        double coef = Math.min(maxNorm / (total + EPS), 1.0); // NaN stays NaN, as torch.clamp
        if (coef != 1.0) {
            for (Variable p : withGrads) {
                p.grad().mulInPlace(coef);
            }
        }
        return total;
    }

    /**
     * Clamps every gradient element into {@code [-clip, clip]} in place (NaN stays NaN).
     *
     * @throws IllegalArgumentException for a NaN or negative {@code clip}, null or repeated parameters
     */
    public static void gradValue(Iterable<? extends Variable> params, double clip) {
        if (!(clip >= 0)) {
            throw new IllegalArgumentException("invalid clip = " + clip + ": must be a number >= 0");
        }
        for (Variable p : withGrads(params, "gradValue")) {
            Tensor g = p.grad();
            g.assign(g.clamp(-clip, clip));
        }
    }

    /** The p-norm of one gradient ({@code p = Inf}: the largest absolute value). */
    private static double norm(Tensor g, double p) {
        if (g.size() == 0) {
            return 0.0;
        }
        if (p == Double.POSITIVE_INFINITY) {
            return g.abs().max().item();
        }
        if (p == 1) {
            return g.abs().sum().item();
        }
        if (p == 2) {
            return Math.sqrt(g.square().sum().item());
        }
        return Math.pow(g.abs().pow(p).sum().item(), 1 / p);
    }

    /** Math.max, which propagates NaN, as torch.max does. */
    private static double max(double a, double b) {
        return Math.max(a, b);
    }

    /** The parameters that have a gradient, checked for nulls and repeats. */
    private static List<Variable> withGrads(Iterable<? extends Variable> params, String what) {
        Objects.requireNonNull(params, "params must not be null");
        IdentityHashMap<Variable, Integer> seen = new IdentityHashMap<>();
        List<Variable> grads = new ArrayList<>();
        int i = 0;
        for (Variable p : params) {
            if (p == null) {
                throw new IllegalArgumentException(what + ": parameter " + i + " is null");
            }
            Integer before = seen.put(p, i);
            if (before != null) {
                throw new IllegalArgumentException(what + ": the same parameter (" + p.describe() + ") is given twice, "
                        + "as parameter " + before + " and as parameter " + i);
            }
            if (p.grad() != null) {
                grads.add(p);
            }
            i++;
        }
        return grads;
    }
}
