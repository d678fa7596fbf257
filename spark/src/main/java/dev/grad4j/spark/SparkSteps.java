package dev.grad4j.spark;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;
import dev.grad4j.data.DataLoader;
import dev.grad4j.data.Dataset;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.Parameter;
import dev.grad4j.train.StepSource;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

import static dev.grad4j.Grad4j.using;

/**
 * Synchronous data-parallel steps on Apache Spark, the design of Spark MLlib's mini-batch gradient
 * descent: every step the driver broadcasts the weights; each partition builds the model from its
 * {@link ModelSpec}, takes its share of the step's global batch, and computes the sum of the loss
 * and of its gradient; {@code treeAggregate} adds them up; the driver divides by the batch size and
 * sets the gradients, and the {@link dev.grad4j.train.Trainer} does the rest (clipping, the
 * optimizer step — its state lives on the driver —, metrics, callbacks, checkpoints, the report):
 *
 * <pre>{@code
 * ModelSpec spec = () -> sequential(linear(64, 128), relu(), linear(128, 10));
 * Layer model = spec.build();                                        // the driver's copy
 * SparkSteps steps = SparkSteps.of(rdd, spec, Losses::crossEntropy, 128).seed(7);   // labels: classes
 * FitResult r = Trainer.of(model, Adam.of(model.parameters(), 1e-3), Losses::crossEntropy)
 *         .epochs(30).fit(steps.bind(model), validation);
 * }</pre>
 *
 * <p>The global batch of step s of epoch e is the same set of rows a local {@code DataLoader}
 * shuffling with the same seed would give (rows are numbered by {@code zipWithIndex}), so a
 * distributed run follows the single-machine run step for step, up to the order of the
 * floating-point sums. It is deterministic in (epoch, step): a task Spark retries computes the
 * same numbers, and a run resumed from a checkpoint repeats the uninterrupted one. Each executor
 * selects its backend from its own configuration ({@code grad4j.backend}, {@code GRAD4J_BACKEND},
 * {@code grad4j.properties}), or the one {@link #executorBackend} names; the Guice injector is made
 * there, never serialized.
 */
public final class SparkSteps implements StepSource, Serializable {

    private static final long serialVersionUID = 1L;

    private final transient JavaPairRDD<Long, Row> rows;
    private final transient JavaSparkContext sc;
    private final ModelSpec spec;
    private final SparkLoss loss;
    private final int globalBatch;
    private final long n;
    private final int partitions;
    private long seed;
    private boolean classification = true;
    private String executorBackend;
    private int treeDepth = 2;
    private transient Layer model;
    /** Names this run's models in the executors' {@link ExecutorModels} pools. */
    private final String runId = java.util.UUID.randomUUID().toString();

    private SparkSteps(JavaRDD<Row> data, ModelSpec spec, SparkLoss loss, int globalBatch) {
        Objects.requireNonNull(data, "data must not be null");
        this.spec = Objects.requireNonNull(spec, "spec must not be null");
        this.loss = Objects.requireNonNull(loss, "loss must not be null");
        requireSerializable("model spec", spec);
        requireSerializable("loss", loss);
        this.sc = JavaSparkContext.fromSparkContext(data.context());
        this.partitions = data.getNumPartitions();
        if (globalBatch < partitions) {
            throw new IllegalArgumentException("the global batch (" + globalBatch + " rows) is smaller than the number of "
                    + "partitions (" + partitions + "): every partition must get rows in every step; use a larger batch or "
                    + "coalesce the data to fewer partitions");
        }
        this.globalBatch = globalBatch;
        this.rows = data.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1())).cache();
        List<Long> counts = rows.mapPartitions(it -> {
            long c = 0;
            while (it.hasNext()) {
                it.next();
                c++;
            }
            return List.of(c).iterator();
        }).collect();
        for (int p = 0; p < counts.size(); p++) {
            if (counts.get(p) == 0) {
                throw new IllegalArgumentException("partition " + p + " of " + counts.size() + " is empty: repartition the "
                        + "data so that every partition holds rows (e.g. data.repartition(" + Math.max(1, counts.size() / 2)
                        + "))");
            }
        }
        this.n = counts.stream().mapToLong(Long::longValue).sum();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("SparkSteps numbers rows with ints: " + n + " rows are too many");
        }
    }

    /**
     * Steps over {@code data} in global batches of {@code globalBatch} rows, each split over the
     * data's partitions.
     *
     * @throws IllegalArgumentException when the global batch is smaller than the number of
     *                                  partitions, or a partition is empty
     */
    public static SparkSteps of(JavaRDD<Row> data, ModelSpec spec, SparkLoss loss, int globalBatch) {
        return new SparkSteps(data, spec, loss, globalBatch);
    }

    /** The shuffling seed (default 0): the same as the seed a local run's {@code DataLoader} would use. */
    public SparkSteps seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The labels are regression targets (by default they are class indices, and accuracy is measured). */
    public SparkSteps regression() {
        this.classification = false;
        return this;
    }

    /** The backend the executors use, by name, instead of their configuration's. */
    public SparkSteps executorBackend(String name) {
        this.executorBackend = name;
        return this;
    }

    /** The depth of {@code treeAggregate} (default 2). */
    public SparkSteps treeDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("treeDepth must be >= 1, got " + depth);
        }
        this.treeDepth = depth;
        return this;
    }

    /** Binds the driver's model (built from the same spec), whose weights are broadcast and whose gradients are set. */
    public SparkSteps bind(Layer model) {
        this.model = Objects.requireNonNull(model, "model must not be null");
        return this;
    }

    /** The name of this run's models in the executors' pools. */
    String runId() {
        return runId;
    }

    /** The number of rows. */
    public long size() {
        return n;
    }

    @Override
    public int stepsPerEpoch() {
        return (int) ((n + globalBatch - 1) / globalBatch);
    }

    @Override
    public boolean classification() {
        return classification;
    }

    @Override
    public Step compute(int epoch, int index) {
        if (model == null) {
            throw new IllegalStateException("bind the driver's model first: steps.bind(model)");
        }
        List<Parameter> params = model.parameters();
        int[] order = DataLoader.order(seed, epoch, (int) n);
        int from = index * globalBatch;
        int to = (int) Math.min(n, from + (long) globalBatch);
        long[] wanted = new long[to - from];
        for (int i = from; i < to; i++) {
            wanted[i - from] = order[i];
        }
        Arrays.sort(wanted);
        DType dtype = params.get(0).dtype();
        // float32 weights travel as floats (exact, and half the bytes)
        Object[] weights = new Object[params.size()];
        for (int i = 0; i < weights.length; i++) {
            Tensor w = params.get(i).data();
            weights[i] = dtype == DType.FLOAT32 ? w.toFloatArray() : w.toDoubleArray();
        }
        Broadcast<Object[]> shared = sc.broadcast(weights);
        Partial total;
        try {
            ModelSpec spec = this.spec;
            SparkLoss loss = this.loss;
            String backend = executorBackend;
            boolean classes = classification;
            long stepSeed = seed * 1_000_003L + epoch * 1_000_033L + index;
            String run = runId;
            total = rows.mapPartitions(it -> List.of(Partial.of(it, wanted, run, spec, loss, shared.value(), dtype, backend,
                            classes, stepSeed)).iterator())
                    .treeAggregate(Partial.EMPTY, Partial::merge, Partial::merge, treeDepth);
        } catch (Exception e) {
            // a failed job throws SparkException, which Scala does not declare
            throw explain(e);
        } finally {
            shared.destroy();
        }
        if (total.rows != to - from) {
            throw new IllegalStateException("the partitions computed " + total.rows + " rows for a step of " + (to - from)
                    + ": the data changed since the steps were set up (an RDD must give the same rows every time)");
        }
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            double[] g = total.sum(i);
            for (int k = 0; k < g.length; k++) {
                g[k] /= total.rows;
            }
            Tensor t = p.backend().fromArray(g, p.shape()).to(p.dtype());
            p.setGrad(t);
        }
        return new Step(total.loss / total.rows, total.rows, total.correct, null, null);
    }

    /**
     * Fails now, on the driver, when {@code value} cannot be sent to the executors, naming what it
     * captured, instead of at the first step with Spark's serialization trace.
     */
    private static void requireSerializable(String what, Object value) {
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream())) {
            out.writeObject(value);
        } catch (java.io.NotSerializableException e) {
            throw new IllegalArgumentException("the " + what + " cannot be sent to the executors: it captures a "
                    + e.getMessage() + ", which is not serializable; write it as a lambda or method that captures only "
                    + "serializable values (numbers, strings, arrays), e.g. in a static method", e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the " + what + " cannot be serialized: " + e, e);
        }
    }

    /** The error of a failed job, with the executor's own exception (the first in the chain that is not Spark's) in the message. */
    private static RuntimeException explain(Exception e) {
        Throwable t = e;
        while (t != null && (t.getClass().getName().startsWith("org.apache.spark")
                || t.getClass().getName().startsWith("scala.")) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String root = t == null || t.getMessage() == null ? String.valueOf(t) : t.getMessage();
        return new IllegalStateException("a data-parallel step failed on the executors: " + root, e);
    }

    @Override
    public String toString() {
        return n + " rows in " + partitions + " Spark partitions, global batches of " + globalBatch + " (seed " + seed + ")";
    }

    // ------------------------------------------------------------------ the executors' side

    /**
     * Some partitions' gradient, loss sum, row count and right answers for one step; {@code grads}
     * null when they had no rows. A partition sends its mean gradient as its model computed it
     * (float32 stays float32: half the bytes); merging turns means into sums, in float64.
     */
    static final class Partial implements Serializable {
        private static final long serialVersionUID = 1L;

        static final Partial EMPTY = new Partial(null, false, 0, 0, 0);

        /** Per parameter, a {@code float[]} or {@code double[]}. */
        final Object[] grads;
        /** Whether {@code grads} hold the mean over {@code rows} (else the sum, as {@code double[]}). */
        final boolean means;
        final double loss;
        final long rows;
        final long correct;

        Partial(Object[] grads, boolean means, double loss, long rows, long correct) {
            this.grads = grads;
            this.means = means;
            this.loss = loss;
            this.rows = rows;
            this.correct = correct;
        }

        /** The sum over the rows of parameter {@code i}'s gradient, a new array. */
        double[] sum(int i) {
            if (!means) {
                return ((double[]) grads[i]).clone();
            }
            double[] out;
            if (grads[i] instanceof float[] f) {
                out = new double[f.length];
                for (int k = 0; k < f.length; k++) {
                    out[k] = f[k];
                }
            } else {
                out = ((double[]) grads[i]).clone();
            }
            for (int k = 0; k < out.length; k++) {
                out[k] *= rows;
            }
            return out;
        }

        /** Adds two partials (a new one; Spark may reuse its arguments). */
        static Partial merge(Partial a, Partial b) {
            if (a.grads == null) {
                return b.grads == null ? new Partial(null, false, 0, a.rows + b.rows, 0) : b;
            }
            if (b.grads == null) {
                return a;
            }
            double[][] g = new double[a.grads.length][];
            for (int i = 0; i < g.length; i++) {
                g[i] = a.sum(i);
                double[] other = b.sum(i);
                for (int k = 0; k < g[i].length; k++) {
                    g[i][k] += other[k];
                }
            }
            return new Partial(g, false, a.loss + b.loss, a.rows + b.rows, a.correct + b.correct);
        }

        /**
         * On an executor: the partition's rows of the step (those numbered in {@code wanted}), the
         * model (built from {@code spec} on this executor's backend the first time, then reused
         * from {@link ExecutorModels}) with the driver's weights, the forward and backward pass, and
         * the sums (the mean loss and its gradient times the row count).
         */
        static Partial of(Iterator<Tuple2<Long, Row>> it, long[] wanted, String run, ModelSpec spec, SparkLoss loss,
                          Object[] weights, DType dtype, String backendName, boolean classes, long stepSeed) {
            List<Row> batch = new ArrayList<>();
            while (it.hasNext()) {
                Tuple2<Long, Row> r = it.next();
                if (Arrays.binarySearch(wanted, r._1()) >= 0) {
                    batch.add(r._2());
                }
            }
            if (batch.isEmpty()) {
                return EMPTY;
            }
            Backend backend;
            try {
                backend = backendName == null ? Backends.configured() : Backends.get(backendName);
            } catch (RuntimeException e) {
                throw new IllegalStateException("an executor cannot select its grad4j backend: " + e.getMessage(), e);
            }
            int partition = org.apache.spark.TaskContext.getPartitionId();
            long taskSeed = stepSeed * 31 + partition;
            String key = run + "/" + backend.name() + "/" + dtype;
            try (var env = using(backend).dtype(dtype).seed(taskSeed)) {
                Layer model = ExecutorModels.take(key);
                if (model == null) {
                    model = spec.build();
                }
                boolean reusable = ExecutorModels.reseed(model, taskSeed);
                List<Parameter> params = model.parameters();
                if (params.size() != weights.length) {
                    throw new IllegalStateException("the model spec builds " + params.size() + " parameters on the executor "
                            + "but the driver's model has " + weights.length + ": build the driver's model from the same spec");
                }
                try (var s = GradMode.noGrad()) {
                    for (int i = 0; i < weights.length; i++) {
                        Parameter p = params.get(i);
                        int length = weights[i] instanceof float[] f ? f.length : ((double[]) weights[i]).length;
                        if (p.size() != length) {
                            throw new IllegalStateException("parameter " + i + " (" + p.describe() + ") has " + p.size()
                                    + " elements on the executor but " + length + " on the driver");
                        }
                        Tensor w = weights[i] instanceof float[] f ? backend.fromArray(f, p.shape())
                                : backend.fromArray((double[]) weights[i], p.shape());
                        p.data().assign(w.to(p.dtype()));
                    }
                }
                model.zeroGrad();
                Dataset data = dataset(batch, classes, backend, dtype);
                Variable out = model.apply(data.features());
                Variable l = loss.apply(out, data.labels());
                l.backward();
                Object[] grads = new Object[params.size()];
                for (int i = 0; i < grads.length; i++) {
                    Tensor g = params.get(i).grad();
                    int size = params.get(i).size();
                    if (dtype == DType.FLOAT32) {
                        grads[i] = g == null ? new float[size] : g.toFloatArray();
                    } else {
                        grads[i] = g == null ? new double[size] : g.toDoubleArray();
                    }
                }
                long right = 0;
                if (classes) {
                    float[] predicted = out.data().argmax(out.rank() - 1, false).toFloatArray();
                    int[] labels = data.labelIndices();
                    for (int k = 0; k < labels.length; k++) {
                        right += (int) predicted[k] == labels[k] ? 1 : 0;
                    }
                }
                if (reusable) {
                    model.zeroGrad();
                    ExecutorModels.give(key, model);
                }
                return new Partial(grads, true, l.item() * batch.size(), batch.size(), right);
            }
        }

        private static Dataset dataset(List<Row> batch, boolean classes, Backend backend, DType dtype) {
            int f = batch.get(0).features().length;
            double[] x = new double[batch.size() * f];
            for (int i = 0; i < batch.size(); i++) {
                float[] r = batch.get(i).features();
                if (r.length != f) {
                    throw new IllegalArgumentException("rows have " + f + " and " + r.length + " features");
                }
                for (int k = 0; k < f; k++) {
                    x[i * f + k] = r[k];
                }
            }
            Variable features = Variable.of(backend.fromArray(x, Shape.of(batch.size(), f)).to(dtype));
            if (classes) {
                int[] labels = new int[batch.size()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = (int) batch.get(i).label()[0];
                }
                return Dataset.classification(features, labels);
            }
            int t = batch.get(0).label().length;
            double[] y = new double[batch.size() * t];
            for (int i = 0; i < batch.size(); i++) {
                for (int k = 0; k < t; k++) {
                    y[i * t + k] = batch.get(i).label()[k];
                }
            }
            return Dataset.regression(features, Variable.of(backend.fromArray(y, Shape.of(batch.size(), t)).to(dtype)));
        }
    }

    // ------------------------------------------------------------------ from a local data set

    /**
     * The rows of a local data set as an RDD in {@code partitions} partitions (for samples and
     * tests), kept in the executors' storage with its lineage cut ({@code localCheckpoint}): a task
     * then carries the number of its partition, not the partition's rows. (Without the cut, Spark
     * sends a parallelized collection's rows with every task, every step.) Data read on the
     * cluster from storage needs none of this.
     */
    public static JavaRDD<Row> rows(JavaSparkContext sc, Dataset data, int partitions) {
        float[] x = data.features().toFloatArray();
        int f = data.numFeatures();
        List<Row> out = new ArrayList<>(data.size());
        float[] y = data.isClassification() ? null : data.labels().toFloatArray();
        int t = y == null ? 1 : y.length / Math.max(1, data.size());
        int[] classes = data.isClassification() ? data.labelIndices() : null;
        for (int i = 0; i < data.size(); i++) {
            float[] features = Arrays.copyOfRange(x, i * f, i * f + f);
            out.add(classes != null ? Row.of(features, classes[i]) : new Row(features, Arrays.copyOfRange(y, i * t, i * t + t)));
        }
        JavaRDD<Row> rdd = sc.parallelize(out, partitions);
        rdd.rdd().localCheckpoint();
        rdd.count();
        return rdd;
    }
}
