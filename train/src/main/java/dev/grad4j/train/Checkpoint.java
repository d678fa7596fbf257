package dev.grad4j.train;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.io.Npz;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.Parameter;
import dev.grad4j.nn.ReLU;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A full checkpoint of a run, one {@code .npz} written atomically: everything needed to continue
 * exactly where the run was at the end of an epoch.
 *
 * <pre>
 * format                       1
 * run.epoch, run.step          the last finished epoch (0-based) and the optimizer steps so far
 * run.shuffleSeed              the loader's seed as two 32-bit halves (0, 0 without shuffling)
 * model.NAME                   every parameter (dtype kept)
 * extra.NAME                   the layers' extra state (dropout generators)
 * optim.KEY                    the optimizer's state dict
 * early.KEY                    early stopping's best value, epoch, patience count and best weights
 * history.METRIC               trainLoss, trainAccuracy, valLoss, valAccuracy, learningRate, seconds per epoch
 * history.stats.I.FIELD        gradNorm, updateRatio, weightNorm of parameter I per epoch
 * history.dead.J               the dead fraction of ReLU layer J per epoch
 * history.weights.I, .grads.I  histograms per epoch: min, max, non-finite count, bin counts
 * warnings.K.kind|epoch|where|message
 * </pre>
 * Strings are stored as their UTF-8 bytes, one per FLOAT64 element, so the file stays a plain
 * {@code .npz} that {@code numpy.load} opens.
 */
final class Checkpoint {

    static final int FORMAT = 1;

    private final Path file;
    private final Map<String, Tensor> entries;

    private Checkpoint(Path file, Map<String, Tensor> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Reads a checkpoint onto {@code backend}; nothing is applied yet. */
    static Checkpoint read(Path file, Backend backend) throws IOException {
        Map<String, Tensor> e;
        try {
            e = Npz.read(file, backend);
        } catch (Npz.NpzFormatException x) {
            throw new IllegalArgumentException("cannot resume from " + file + ": " + x.getMessage(), x);
        }
        Tensor f = e.get("format");
        if (f == null || f.item() != FORMAT) {
            throw new IllegalArgumentException("cannot resume from " + file + ": not a grad4j training checkpoint (format "
                    + (f == null ? "missing" : f.item()) + ", expected " + FORMAT + ")");
        }
        return new Checkpoint(file, e);
    }

    /** The loader's shuffle seed the checkpointed run used. */
    long shuffleSeed() {
        return longOf(need("run.shuffleSeed"));
    }

    /**
     * Puts the model, optimizer, early stopping and history back as they were; returns the last
     * finished epoch. Checks everything it can first; if applying fails half-way, the model's
     * weights are put back as they were before.
     */
    int restore(FitState run, EarlyStopping early) {
        Layer model = run.model();
        Map<String, Tensor> weights = prefixed("model.");
        Map<String, Tensor> extra = prefixed("extra.");
        Map<String, Tensor> optim = prefixed("optim.");
        Map<String, Tensor> earlyState = prefixed("early.");
        if (early != null && earlyState.isEmpty()) {
            throw new IllegalArgumentException("cannot resume from " + file + ": the run uses early stopping but the "
                    + "checkpoint has no early-stopping state (was it written by a run without it?)");
        }
        int epoch = (int) need("run.epoch").item();
        long step = (long) need("run.step").item();
        List<EpochRecord> history = history(model, epoch + 1);
        List<TrainingWarning> warnings = warnings();

        Map<String, Tensor> before = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> before.put(k, t.copy()));
        try {
            model.loadStateDict(weights);
            model.loadExtraStateDict(extra);
            run.optimizer().loadStateDict(optim);
            if (early != null) {
                early.restore(earlyState);
            }
        } catch (RuntimeException x) {
            model.loadStateDict(before);
            throw new IllegalArgumentException("cannot resume from " + file + " (the model is unchanged): " + x.getMessage(), x);
        }
        run.restore(history, warnings);
        run.epoch = epoch;
        run.step = step;
        return epoch;
    }

    /** Writes a checkpoint of {@code run} after its epoch {@code run.epoch()}, atomically. */
    static void write(Path file, FitState run, EarlyStopping early, long shuffleSeed) throws IOException {
        Layer model = run.model();
        Backend b = model.parameters().get(0).backend();
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("format", b.scalar(FORMAT, DType.FLOAT64));
        out.put("run.epoch", b.scalar(run.epoch(), DType.FLOAT64));
        out.put("run.step", b.scalar(run.step(), DType.FLOAT64));
        out.put("run.shuffleSeed", longTensor(b, shuffleSeed));
        model.stateDict().forEach((k, t) -> out.put("model." + k, t));
        model.extraStateDict().forEach((k, t) -> out.put("extra." + k, t));
        run.optimizer().stateDict().forEach((k, t) -> out.put("optim." + k, t));
        if (early != null) {
            early.state(b).forEach((k, t) -> out.put("early." + k, t));
        }
        List<EpochRecord> h = run.history();
        out.put("history.trainLoss", series(b, h, EpochRecord::trainLoss));
        out.put("history.trainAccuracy", series(b, h, EpochRecord::trainAccuracy));
        out.put("history.valLoss", series(b, h, EpochRecord::valLoss));
        out.put("history.valAccuracy", series(b, h, EpochRecord::valAccuracy));
        out.put("history.learningRate", series(b, h, EpochRecord::learningRate));
        out.put("history.seconds", series(b, h, EpochRecord::seconds));
        List<String> params = paths(model);
        List<String> relus = reluPaths(model);
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i);
            if (h.stream().allMatch(r -> r.parameters().containsKey(p))) {
                out.put("history.stats." + i + ".gradNorm", series(b, h, r -> r.parameters().get(p).gradNorm()));
                out.put("history.stats." + i + ".updateRatio", series(b, h, r -> r.parameters().get(p).updateRatio()));
                out.put("history.stats." + i + ".weightNorm", series(b, h, r -> r.parameters().get(p).weightNorm()));
            }
            if (h.stream().allMatch(r -> r.weights().containsKey(p))) {
                out.put("history.weights." + i, histograms(b, h, r -> r.weights().get(p)));
            }
            if (h.stream().allMatch(r -> r.gradients().containsKey(p))) {
                out.put("history.grads." + i, histograms(b, h, r -> r.gradients().get(p)));
            }
        }
        for (int j = 0; j < relus.size(); j++) {
            String l = relus.get(j);
            if (h.stream().allMatch(r -> r.deadUnits().containsKey(l))) {
                out.put("history.dead." + j, series(b, h, r -> r.deadUnits().get(l)));
            }
        }
        List<TrainingWarning> ws = run.warnings();
        for (int k = 0; k < ws.size(); k++) {
            TrainingWarning w = ws.get(k);
            out.put("warnings." + k + ".kind", b.scalar(w.kind().ordinal(), DType.FLOAT64));
            out.put("warnings." + k + ".epoch", b.scalar(w.epoch(), DType.FLOAT64));
            out.put("warnings." + k + ".where", text(b, w.where()));
            out.put("warnings." + k + ".message", text(b, w.message()));
        }
        Npz.write(file, out);
    }

    // ------------------------------------------------------------------ history

    private List<EpochRecord> history(Layer model, int epochs) {
        double[] trainLoss = array("history.trainLoss", epochs);
        double[] trainAcc = array("history.trainAccuracy", epochs);
        double[] valLoss = array("history.valLoss", epochs);
        double[] valAcc = array("history.valAccuracy", epochs);
        double[] lr = array("history.learningRate", epochs);
        double[] seconds = array("history.seconds", epochs);
        List<String> params = paths(model);
        List<String> relus = reluPaths(model);
        List<EpochRecord> out = new ArrayList<>(epochs);
        for (int e = 0; e < epochs; e++) {
            Map<String, LayerStats> stats = new LinkedHashMap<>();
            Map<String, Histogram> weights = new LinkedHashMap<>();
            Map<String, Histogram> grads = new LinkedHashMap<>();
            Map<String, Double> dead = new LinkedHashMap<>();
            for (int i = 0; i < params.size(); i++) {
                if (entries.containsKey("history.stats." + i + ".gradNorm")) {
                    stats.put(params.get(i), new LayerStats(array("history.stats." + i + ".gradNorm", epochs)[e],
                            array("history.stats." + i + ".updateRatio", epochs)[e],
                            array("history.stats." + i + ".weightNorm", epochs)[e]));
                }
            }
            for (int j = 0; j < relus.size(); j++) {
                if (entries.containsKey("history.dead." + j)) {
                    dead.put(relus.get(j), array("history.dead." + j, epochs)[e]);
                }
            }
            for (int i = 0; i < params.size(); i++) {
                final int idx = i;
                histogram("history.weights." + i, epochs, e).ifPresent(hg -> weights.put(params.get(idx), hg));
                histogram("history.grads." + i, epochs, e).ifPresent(hg -> grads.put(params.get(idx), hg));
            }
            out.add(new EpochRecord(e, trainLoss[e], trainAcc[e], valLoss[e], valAcc[e], lr[e], seconds[e], stats, dead,
                    weights, grads));
        }
        return out;
    }

    private java.util.Optional<Histogram> histogram(String key, int epochs, int e) {
        Tensor t = entries.get(key);
        if (t == null) {
            return java.util.Optional.empty();
        }
        if (t.rank() != 2 || t.shape().dim(0) != epochs || t.shape().dim(1) < 4) {
            throw new IllegalArgumentException("cannot resume from " + file + ": " + key + " is " + t.shape()
                    + ", expected [" + epochs + ", bins + 3]");
        }
        int width = t.shape().dim(1);
        double[] v = t.toDoubleArray();
        long[] counts = new long[width - 3];
        for (int k = 0; k < counts.length; k++) {
            counts[k] = (long) v[e * width + 3 + k];
        }
        return java.util.Optional.of(new Histogram(v[e * width], v[e * width + 1], counts, (long) v[e * width + 2]));
    }

    private List<TrainingWarning> warnings() {
        List<TrainingWarning> out = new ArrayList<>();
        TrainingWarning.Kind[] kinds = TrainingWarning.Kind.values();
        for (int k = 0; entries.containsKey("warnings." + k + ".kind"); k++) {
            int kind = (int) need("warnings." + k + ".kind").item();
            if (kind < 0 || kind >= kinds.length) {
                throw new IllegalArgumentException("cannot resume from " + file + ": warning " + k + " has an unknown kind "
                        + kind);
            }
            out.add(new TrainingWarning(kinds[kind], textOf(need("warnings." + k + ".where")),
                    (int) need("warnings." + k + ".epoch").item(), textOf(need("warnings." + k + ".message"))));
        }
        return out;
    }

    // ------------------------------------------------------------------ entries

    private Map<String, Tensor> prefixed(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        entries.forEach((k, t) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), t);
            }
        });
        return out;
    }

    private Tensor need(String key) {
        Tensor t = entries.get(key);
        if (t == null) {
            throw new IllegalArgumentException("cannot resume from " + file + ": the entry " + key + " is missing");
        }
        return t;
    }

    private double[] array(String key, int length) {
        Tensor t = need(key);
        if (t.rank() != 1 || t.size() != length) {
            throw new IllegalArgumentException("cannot resume from " + file + ": " + key + " has shape " + t.shape()
                    + ", expected [" + length + "] (one value per finished epoch)");
        }
        return t.toDoubleArray();
    }

    private static List<String> paths(Layer model) {
        List<String> out = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            out.add(p.path() != null ? p.path() : p.describe());
        }
        return out;
    }

    private static List<String> reluPaths(Layer model) {
        List<String> out = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (l instanceof ReLU) {
                out.add(l.path());
            }
        }
        return out;
    }

    private static Tensor series(Backend b, List<EpochRecord> h, java.util.function.ToDoubleFunction<EpochRecord> f) {
        double[] v = new double[h.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(h.get(i));
        }
        return b.fromArray(v, Shape.of(v.length));
    }

    private static Tensor histograms(Backend b, List<EpochRecord> h, java.util.function.Function<EpochRecord, Histogram> f) {
        int bins = f.apply(h.get(0)).counts().length;
        double[] v = new double[h.size() * (bins + 3)];
        for (int e = 0; e < h.size(); e++) {
            Histogram hg = f.apply(h.get(e));
            long[] c = hg.counts();
            int o = e * (bins + 3);
            v[o] = hg.min();
            v[o + 1] = hg.max();
            v[o + 2] = hg.nonFinite();
            for (int k = 0; k < c.length && k < bins; k++) {
                v[o + 3 + k] = c[k];
            }
        }
        return b.fromArray(v, Shape.of(h.size(), bins + 3));
    }

    private static Tensor longTensor(Backend b, long v) {
        return b.fromArray(new double[]{(double) (v >>> 32), (double) (v & 0xffffffffL)}, Shape.of(2));
    }

    private long longOf(Tensor t) {
        double[] v = t.toDoubleArray();
        if (v.length != 2) {
            throw new IllegalArgumentException("cannot resume from " + file + ": a 64-bit value is stored as 2 halves");
        }
        return ((long) v[0] << 32) | ((long) v[1] & 0xffffffffL);
    }

    private static Tensor text(Backend b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        double[] v = new double[bytes.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = bytes[i];
        }
        return b.fromArray(v, Shape.of(v.length));
    }

    private static String textOf(Tensor t) {
        double[] v = t.toDoubleArray();
        byte[] bytes = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            bytes[i] = (byte) v[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
