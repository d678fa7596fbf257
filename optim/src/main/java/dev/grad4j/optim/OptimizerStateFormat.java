package dev.grad4j.optim;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Variable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The on-disk layout of an optimizer's state, {@link Optimizer#stateDict()} and
 * {@link Optimizer#loadStateDict}: a flat, ordered map from names to tensors.
 * <ul>
 *   <li>{@code group.<g>.params}: the number of parameters in group {@code g} (0-d FLOAT64);</li>
 *   <li>{@code group.<g>.<hyper>}: each hyper-parameter of group {@code g}, by the names of
 *       {@link OptimizerConfig#hyperParameters()} (0-d FLOAT64; flags are 0 or 1);</li>
 *   <li>{@code state.<g>.<i>.<name>}: the buffers of parameter {@code i} of group {@code g} and,
 *       for optimizers that count them, its step count {@code step} (0-d FLOAT64).</li>
 * </ul>
 * Loading validates everything first (names, counts, shapes, dtypes, each group's config rebuilt
 * with {@link OptimizerConfig#withHyperParameters} and {@link OptimizerConfig#validate()}, and the
 * {@link OptimizerConfig#structuralHyperParameters()} compared with the optimizer's) and reports
 * every problem in one message, changing nothing.
 */
final class OptimizerStateFormat {

    private static final String STEP = "step";
    private static final int MAX_LISTED = 8;

    private OptimizerStateFormat() {
    }

    /** {@link Optimizer#stateDict()}: copies of the hyper-parameters, buffers and step counts, in the layout above. */
    static <C extends OptimizerConfig<C>> Map<String, Tensor> save(Optimizer<C> opt) {
        List<ParamGroup<C>> groups = opt.paramGroups();
        ParamState[][] states = opt.states();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            ParamGroup<C> group = groups.get(g);
            Backend b = group.params().get(0).backend();
            out.put(groupKey(g, "params"), b.scalar(group.params().size(), DType.FLOAT64));
            for (Map.Entry<String, Double> e : group.config().hyperParameters().entrySet()) {
                out.put(groupKey(g, e.getKey()), b.scalar(e.getValue(), DType.FLOAT64));
            }
        }
        for (int g = 0; g < groups.size(); g++) {
            List<Variable> ps = groups.get(g).params();
            for (int i = 0; i < ps.size(); i++) {
                ParamState s = states[g][i];
                if (s == null || s.isEmpty()) {
                    continue;
                }
                if (opt.countsSteps()) {
                    out.put(stateKey(g, i, STEP), ps.get(i).backend().scalar(s.step(), DType.FLOAT64));
                }
                for (Map.Entry<String, Tensor> e : s.buffers().entrySet()) {
                    out.put(stateKey(g, i, e.getKey()), e.getValue().copy());
                }
            }
        }
        return out;
    }

    /** {@link Optimizer#loadStateDict}: validates all of {@code state}, then commits it, or throws having changed nothing. */
    static <C extends OptimizerConfig<C>> void load(Optimizer<C> opt, Map<String, Tensor> state) {
        Objects.requireNonNull(state, "state must not be null");
        String name = opt.name();
        List<ParamGroup<C>> groups = opt.paramGroups();
        ParamState[][] states = opt.states();
        if (state.containsKey(null)) {
            throw new IllegalArgumentException("cannot load the state into " + name + ", nothing was changed: it has "
                    + "a null name");
        }
        TreeSet<Integer> savedGroups = new TreeSet<>();
        for (String k : state.keySet()) {
            String[] parts = k.split("\\.", -1);
            if (parts.length == 3 && parts[0].equals("group") && parts[2].equals("params")) {
                try {
                    savedGroups.add(Integer.parseInt(parts[1]));
                } catch (NumberFormatException e) {
                    // reported as an unexpected name below
                }
            }
        }
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException("cannot load the state into " + name + ", nothing was changed: the state "
                    + "has " + savedGroups.size() + " parameter group" + (savedGroups.size() == 1 ? "" : "s") + ", this "
                    + "optimizer has " + groups.size());
        }
        Set<String> unused = new LinkedHashSet<>(state.keySet());
        List<String> missing = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<C> newConfigs = new ArrayList<>();
        ParamState[][] newStates = new ParamState[groups.size()][];

        for (int g = 0; g < groups.size(); g++) {
            ParamGroup<C> group = groups.get(g);
            C current = group.config();
            String countKey = groupKey(g, "params");
            unused.remove(countKey);
            Double count = scalar(state, countKey, missing, problems);
            if (count != null && count != group.params().size()) {
                problems.add("group " + g + " has " + format(count) + " parameters in the state but "
                        + group.params().size() + " in this optimizer");
            }
            Map<String, Double> now = current.hyperParameters();
            Map<String, Double> h = new LinkedHashMap<>();
            for (String hp : now.keySet()) {
                String k = groupKey(g, hp);
                unused.remove(k);
                Double v = scalar(state, k, missing, problems);
                if (v != null) {
                    h.put(hp, v);
                }
            }
            C loaded = null;
            if (h.size() == now.size()) {
                try {
                    C c = current.withHyperParameters(h);
                    c.validate();
                    loaded = c;
                } catch (IllegalArgumentException e) {
                    problems.add("group " + g + ": " + e.getMessage());
                }
                for (String f : current.structuralHyperParameters()) {
                    if (!h.get(f).equals(now.get(f))) {
                        problems.add("group " + g + ": " + f + " is " + format(h.get(f)) + " in the state but "
                                + format(now.get(f)) + " in this " + name + " (the state was saved by an optimizer of "
                                + "another kind or configuration)");
                    }
                }
            }
            newConfigs.add(loaded);

            List<Variable> ps = group.params();
            newStates[g] = new ParamState[ps.size()];
            List<String> expected = new ArrayList<>(opt.stateNames(loaded != null ? loaded : current));
            if (opt.countsSteps()) {
                expected.add(0, STEP);
            }
            for (int i = 0; i < ps.size(); i++) {
                newStates[g][i] = loadParamState(state, g, i, ps.get(i), expected, unused, missing, problems);
            }
        }
        if (!missing.isEmpty() || !unused.isEmpty() || !problems.isEmpty()) {
            StringBuilder sb = new StringBuilder("cannot load the state into ").append(name)
                    .append(", nothing was changed");
            if (!missing.isEmpty()) {
                sb.append("; missing: ").append(listed(missing));
            }
            if (!unused.isEmpty()) {
                sb.append("; unexpected: ").append(listed(new ArrayList<>(unused)));
            }
            for (String p : problems) {
                sb.append("; ").append(p);
            }
            throw new IllegalArgumentException(sb.toString());
        }
        // commit: nothing below can fail on a validated state
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).restore(newConfigs.get(g));
            System.arraycopy(newStates[g], 0, states[g], 0, newStates[g].length);
        }
    }

    private static ParamState loadParamState(Map<String, Tensor> state, int g, int i, Variable p, List<String> expected,
                                      Set<String> unused, List<String> missing, List<String> problems) {
        String prefix = "state." + g + "." + i + ".";
        boolean any = false;
        for (String k : state.keySet()) {
            if (k.startsWith(prefix)) {
                any = true;
                break;
            }
        }
        if (!any) {
            return null;
        }
        ParamState s = new ParamState();
        for (String n : expected) {
            String k = prefix + n;
            unused.remove(k);
            if (n.equals(STEP)) {
                Double v = scalar(state, k, missing, problems);
                if (v != null) {
                    if (!(v >= 0) || v != Math.rint(v) || v > 1e15) {
                        problems.add(k + " = " + v + ": a step count must be a whole number >= 0");
                    } else {
                        s.setStep(v.longValue());
                    }
                }
                continue;
            }
            Tensor t = state.get(k);
            if (t == null) {
                missing.add(k);
                continue;
            }
            if (!t.shape().equals(p.shape()) || t.dtype() != p.dtype()) {
                problems.add(k + " is " + t.dtype() + " " + t.shape() + " but parameter " + i + " of group " + g + " is "
                        + p.dtype() + " " + p.shape());
                continue;
            }
            s.putBuffer(n, copyOnto(t, p.data()));
        }
        return s;
    }

    private static Double scalar(Map<String, Tensor> state, String key, List<String> missing, List<String> problems) {
        Tensor t = state.get(key);
        if (t == null) {
            missing.add(key);
            return null;
        }
        if (!t.shape().isScalar() || t.dtype() != DType.FLOAT64) {
            problems.add(key + " is " + t.dtype() + " " + t.shape() + ", expected a 0-d FLOAT64 tensor");
            return null;
        }
        return t.item();
    }

    /** A copy of {@code t} (validated to have like's shape and dtype) on like's backend. */
    private static Tensor copyOnto(Tensor t, Tensor like) {
        if (t.backend().name().equals(like.backend().name())) {
            return t.copy();
        }
        return like.dtype() == DType.FLOAT32
                ? like.backend().fromArray(t.toFloatArray(), t.shape())
                : like.backend().fromArray(t.toDoubleArray(), t.shape());
    }

    private static String groupKey(int g, String n) {
        return "group." + g + "." + n;
    }

    private static String stateKey(int g, int i, String n) {
        return "state." + g + "." + i + "." + n;
    }

    private static String listed(List<String> names) {
        if (names.size() <= MAX_LISTED) {
            return names.toString();
        }
        return names.subList(0, MAX_LISTED).toString().replace("]", ", ... (" + (names.size() - MAX_LISTED)
                + " more)]");
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

}
