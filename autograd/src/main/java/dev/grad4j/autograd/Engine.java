package dev.grad4j.autograd;

import dev.grad4j.api.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backward engine: iterative, never recursive, so a chain of a million ops backpropagates
 * with the default stack.
 *
 * <ol>
 *   <li>Discover the nodes reachable from the roots with an explicit stack and count, for each,
 *       how many reachable consumers will send it a gradient.</li>
 *   <li>Process nodes in topological order (Kahn): a node runs once all its consumers have added
 *       their contributions to its pending gradient; its output hooks and {@code retainGrad}
 *       see the total; its backward's results are checked (shape; NaN/Inf under anomaly mode)
 *       and sent on to its inputs.</li>
 *   <li>Leaves collect their total, run their hooks and accumulate it into {@code grad}.</li>
 * </ol>
 * Without {@code retainGraph}, each node releases its saved variables after its backward.
 */
final class Engine {

    private static final AtomicLong EPOCH = new AtomicLong();

    private Engine() {
    }

    static void backward(Variable root, Variable gradOutput, boolean retainGraph, boolean createGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("element 0 of the outputs does not require grad and does not have a gradFn: "
                    + root.describe() + ". Did you forget requiresGrad(true) on a leaf, or compute it under noGrad()?");
        }
        Variable seed = seedGrad(root, gradOutput);
        run(new Variable[]{root}, new Variable[]{seed}, retainGraph, createGraph, null);
    }

    static Variable seedGrad(Variable root, Variable gradOutput) {
        if (gradOutput == null) {
            if (root.size() != 1) {
                throw new IllegalStateException("grad can be implicitly created only for scalar outputs; "
                        + root.describe() + " needs an explicit gradOutput of that shape");
            }
            return Variable.of(root.data().onesLike());
        }
        if (!gradOutput.shape().equals(root.shape())) {
            throw new IllegalArgumentException("gradOutput shape " + gradOutput.shape() + " does not match the output's shape "
                    + root.shape());
        }
        return gradOutput;
    }

    /**
     * Runs backward from {@code roots}. With {@code capture == null} leaf gradients accumulate into
     * {@code grad}; otherwise the total gradients of the captured variables (leaves or not) are
     * stored in the map and no {@code grad} is touched.
     */
    static void run(Variable[] roots, Variable[] seeds, boolean retainGraph, boolean createGraph,
                    Map<Object, Variable[]> capture) {
        long mark = EPOCH.incrementAndGet();
        // ---- 1. discover and count dependencies
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Variable r : roots) {
            Node n = r.gradFn();
            if (n != null && n.mark != mark) {
                checkNotReleased(n);
                n.mark = mark;
                n.dependencies = 0;
                n.pendingGrad = null;
                stack.push(n);
            }
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            Variable[] inputs = n.inputsOrNull();
            for (int i = 0; i < inputs.length; i++) {
                Node c = inputs[i].gradFn();
                if (c == null || !n.needsInputGrad(i)) {
                    continue;
                }
                if (c.mark != mark) {
                    checkNotReleased(c);
                    c.mark = mark;
                    c.dependencies = 0;
                    c.pendingGrad = null;
                    stack.push(c);
                }
                c.dependencies++;
            }
        }

        try (GradMode.Scope ignored = GradMode.set(createGraph)) {
            // ---- 2. seed
            Map<Variable, Variable> leafGrads = new IdentityHashMap<>();
            List<Variable> leafOrder = new ArrayList<>();
            for (int i = 0; i < roots.length; i++) {
                Node n = roots[i].gradFn();
                if (n == null) {
                    addLeaf(leafGrads, leafOrder, roots[i], seeds[i]);
                } else {
                    n.pendingGrad = accumulate(n.pendingGrad, seeds[i]);
                }
            }
            ArrayDeque<Node> ready = new ArrayDeque<>();
            for (Variable r : roots) {
                Node n = r.gradFn();
                if (n != null && n.dependencies == 0 && n.mark == mark) {
                    n.mark = -mark; // queued once
                    ready.add(n);
                }
            }
            // ---- 3. topological order
            while (!ready.isEmpty()) {
                Node n = ready.poll();
                Variable g = n.pendingGrad;
                n.pendingGrad = null;
                Variable[] inputs = n.inputsOrNull();
                if (g != null) {
                    g = runHooks(n.outputHooks, g);
                    if (n.retainedOutput != null) {
                        n.retainedOutput.setGradVariable(createGraph ? g : Variable.of(g.data()));
                    }
                    if (capture != null) {
                        Variable[] slot = capture.get(n);
                        if (slot != null) {
                            slot[0] = g;
                        }
                    }
                }
                Variable[] grads = g == null ? null : n.backward(g);
                for (int i = 0; i < inputs.length; i++) {
                    if (!n.needsInputGrad(i)) {
                        continue;
                    }
                    Variable in = inputs[i];
                    Variable gi = grads == null || i >= grads.length ? null : grads[i];
                    if (gi != null) {
                        gi = checkGrad(n, i, in, gi);
                    }
                    Node c = in.gradFn();
                    if (c == null) {
                        if (gi != null) {
                            addLeaf(leafGrads, leafOrder, in, gi);
                        }
                        continue;
                    }
                    if (gi != null) {
                        c.pendingGrad = accumulate(c.pendingGrad, gi);
                    }
                    if (--c.dependencies == 0) {
                        c.mark = -mark;
                        ready.add(c);
                    }
                }
                if (!retainGraph) {
                    n.release();
                }
            }
            // ---- 4. leaves
            for (Variable leaf : leafOrder) {
                Variable g = runHooks(leaf.leafHooks(), leafGrads.get(leaf));
                if (capture != null) {
                    Variable[] slot = capture.get(leaf);
                    if (slot != null) {
                        slot[0] = g;
                    }
                } else {
                    accumulateIntoLeaf(leaf, g, createGraph);
                }
            }
        }
    }

    private static void checkNotReleased(Node n) {
        if (n.isReleased()) {
            throw new IllegalStateException(Node.secondBackwardMessage(n));
        }
    }

    private static void addLeaf(Map<Variable, Variable> grads, List<Variable> order, Variable leaf, Variable g) {
        Variable prev = grads.get(leaf);
        if (prev == null) {
            order.add(leaf);
        }
        grads.put(leaf, accumulate(prev, g));
    }

    private static Variable accumulate(Variable sum, Variable g) {
        return sum == null ? g : sum.add(g);
    }

    private static Variable runHooks(List<Node.VarHook> hooks, Variable g) {
        if (hooks == null) {
            return g;
        }
        for (Node.VarHook h : hooks) {
            if (!h.removed) {
                Variable r = h.fn.apply(g);
                if (r != null) {
                    if (!r.shape().equals(g.shape())) {
                        throw new IllegalStateException("a gradient hook returned shape " + r.shape()
                                + " for a gradient of shape " + g.shape());
                    }
                    g = r;
                }
            }
        }
        return g;
    }

    private static Variable checkGrad(Node n, int i, Variable input, Variable g) {
        if (!g.shape().equals(input.shape())) {
            throw new IllegalStateException("the backward of " + n.name() + " returned a gradient of shape " + g.shape()
                    + " for its input " + i + ", whose shape is " + input.shape());
        }
        if (g.dtype() != input.dtype()) {
            g = g.to(input.dtype());
        }
        if (GradMode.state().anomaly) {
            Anomalies.checkBackward(n, i, g);
        }
        return g;
    }

    private static void accumulateIntoLeaf(Variable leaf, Variable g, boolean createGraph) {
        Variable old = leaf.gradVariable();
        if (createGraph) {
            leaf.setGradVariable(old == null ? g : old.add(g));
            return;
        }
        if (old == null) {
            // a copy: g may be shared with other gradients (Add passes its input on twice)
            leaf.setGradVariable(Variable.of(g.data().copy()));
        } else if (old.requiresGrad()) {
            leaf.setGradVariable(Variable.of(old.data().add(g.data())));
        } else {
            Tensor t = old.data();
            t.addInPlace(g.data());
        }
    }
}
