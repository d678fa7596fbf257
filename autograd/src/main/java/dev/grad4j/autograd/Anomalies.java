package dev.grad4j.autograd;

import dev.grad4j.api.Tensor;

/** NaN/Inf checks of anomaly mode. */
final class Anomalies {

    private Anomalies() {
    }

    static void checkForward(Node node, Tensor out) {
        String bad = firstNonFinite(out);
        if (bad != null) {
            throw new AnomalyException("anomaly detected: " + node.name() + " produced " + bad + " in its forward output "
                    + out.dtype() + " " + out.shape() + "; the op was created " + node.callSite());
        }
    }

    static void checkBackward(Node node, int input, Variable grad) {
        String bad = firstNonFinite(grad.data());
        if (bad != null) {
            Variable in = node.input(input);
            String which = in != null && (in.isLeaf() || in.name() != null) ? in.describe()
                    : grad.dtype() + " " + grad.shape();
            throw new AnomalyException("anomaly detected: the backward of " + node.name() + " produced " + bad
                    + " in the gradient of its input " + input + " (" + which + "); the op was created "
                    + (node.callSite() != null ? node.callSite()
                    : "at <unknown: it was recorded before anomaly mode was enabled>"));
        }
    }

    private static String firstNonFinite(Tensor t) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                return (Double.isNaN(v[i]) ? "NaN" : v[i] > 0 ? "Inf" : "-Inf") + " (at flat index " + i + ")";
            }
        }
        return null;
    }
}
