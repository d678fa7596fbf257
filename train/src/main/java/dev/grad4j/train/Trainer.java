package dev.grad4j.train;

import dev.grad4j.api.Defaults;
import dev.grad4j.autograd.GradMode;
import dev.grad4j.autograd.Variable;
import dev.grad4j.data.Batch;
import dev.grad4j.data.DataLoader;
import dev.grad4j.data.Dataset;
import dev.grad4j.nn.Layer;
import dev.grad4j.optim.Optimizer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Trains a model on a {@link Dataset}: batches, the forward and backward passes, the optimizer,
 * metrics on the training and validation data every epoch, and callbacks for everything else.
 *
 * <pre>{@code
 * var result = Trainer.of(model, Adam.of(model.parameters(), 1e-2), Losses::crossEntropy)
 *         .epochs(200).batchSize(16)
 *         .earlyStopping("valLoss", 20)                 // and restore the best weights
 *         .bestWeights(Path.of("out/best.npz"))
 *         .fit(data.train(), data.validation());
 * }</pre>
 *
 * <p>Built in and on by default: the history of per-epoch metrics ({@link EpochRecord}), gradient
 * health with its warnings ({@link GradientHealth}), a progress display ({@link Progress}), and a
 * check of every batch's loss (a NaN or infinite loss stops the run cleanly, keeping the last good
 * weights). The rest is opt-in: clipping, early stopping, checkpoints and resuming, a metrics log,
 * the report, and any {@link Callback} of your own.
 *
 * <p>The loss function takes the model's output and the batch's labels
 * ({@link Batch#labels()}: class indices for classification, targets for regression), e.g.
 * {@code Losses::crossEntropy} or {@code Losses::mse}. Accuracy is measured for classification
 * data (the output's argmax against the labels).
 *
 * <p>A run is reproducible: shuffling is seeded (by default from the defaults scope's generator
 * when the trainer is made), and a run resumed from a checkpoint ({@link #resumeFrom}) ends with
 * the same weights, to the bit on the same backend, as a run that was never interrupted.
 */
public final class Trainer {

    private final Layer model;
    private final Optimizer<?> optimizer;
    private final BiFunction<Variable, Variable, Variable> loss;
    private int epochs = 10;
    private int batchSize = 32;
    private long shuffleSeed;
    private boolean shuffle = true;
    private boolean dropLast;
    private GradientHealth health = new GradientHealth();
    private double clipNorm = Double.NaN;
    private double clipValue = Double.NaN;
    private EarlyStopping earlyStopping;
    private Checkpoints checkpoints;
    private Path resumeFrom;
    private Progress.Mode progress = Progress.Mode.AUTO;
    private PrintStream out = System.out;
    private Path metricsLog;
    private Path report;
    private final List<Callback> userCallbacks = new ArrayList<>();

    private Trainer(Layer model, Optimizer<?> optimizer, BiFunction<Variable, Variable, Variable> loss) {
        this.model = Objects.requireNonNull(model, "model must not be null");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer must not be null");
        this.loss = Objects.requireNonNull(loss, "loss must not be null");
        this.shuffleSeed = Defaults.generator().nextLong();
    }

    /** A trainer of {@code model} by {@code optimizer} minimising {@code loss(output, labels)}. */
    public static Trainer of(Layer model, Optimizer<?> optimizer, BiFunction<Variable, Variable, Variable> loss) {
        return new Trainer(model, optimizer, loss);
    }

    /** The number of epochs, {@code >= 1} (default 10). */
    public Trainer epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** Rows per batch, {@code >= 1} (default 32). */
    public Trainer batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** Shuffles the training rows every epoch with this seed (by default one drawn from the defaults scope). */
    public Trainer shuffle(long seed) {
        this.shuffle = true;
        this.shuffleSeed = seed;
        return this;
    }

    /** Keeps the training rows in order. */
    public Trainer noShuffle() {
        this.shuffle = false;
        return this;
    }

    /** Drops each epoch's last batch when it is smaller than the batch size. */
    public Trainer dropLast() {
        this.dropLast = true;
        return this;
    }

    /** Scales the gradients so that their total L2 norm is at most {@code maxNorm}, each step. */
    public Trainer clipGradNorm(double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipGradNorm needs a norm > 0, got " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Clamps every gradient element into {@code [-clip, clip]}, each step. */
    public Trainer clipGradValue(double clip) {
        if (!(clip > 0)) {
            throw new IllegalArgumentException("clipGradValue needs a value > 0, got " + clip);
        }
        this.clipValue = clip;
        return this;
    }

    /** Gradient health with these settings ({@code health(GradientHealth.off())} turns it off). */
    public Trainer health(GradientHealth health) {
        this.health = Objects.requireNonNull(health, "health");
        return this;
    }

    /**
     * Stops when {@code monitor} ({@code valLoss}, {@code valAccuracy}, {@code trainLoss},
     * {@code trainAccuracy}) has not improved for {@code patience} epochs, and restores the weights
     * of its best epoch.
     */
    public Trainer earlyStopping(String monitor, int patience) {
        this.earlyStopping = new EarlyStopping(monitor, patience);
        return this;
    }

    /** {@link #earlyStopping(String, int)} on {@code valLoss} (on {@code trainLoss} without validation data). */
    public Trainer earlyStopping(int patience) {
        return earlyStopping(null, patience);
    }

    /** Saves the model's weights as {@code .npz} each time the monitored metric reaches its best (written atomically). */
    public Trainer bestWeights(Path file) {
        checkpoints().best(file);
        return this;
    }

    /**
     * Writes a full checkpoint to {@code file} every {@code everyEpochs} epochs and at the end:
     * weights, optimizer state, the epoch, the history, the random generators; atomically, so a
     * crash while writing keeps the previous one.
     */
    public Trainer checkpoints(Path file, int everyEpochs) {
        checkpoints().every(file, everyEpochs);
        return this;
    }

    private Checkpoints checkpoints() {
        if (checkpoints == null) {
            checkpoints = new Checkpoints();
        }
        return checkpoints;
    }

    /** Continues the run saved in {@code checkpoint} (written by {@link #checkpoints}) instead of starting afresh. */
    public Trainer resumeFrom(Path checkpoint) {
        this.resumeFrom = Objects.requireNonNull(checkpoint, "checkpoint");
        return this;
    }

    /** How progress is shown: a bar on a terminal, a line per epoch otherwise ({@code AUTO}, the default). */
    public Trainer progress(Progress.Mode mode) {
        this.progress = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** Prints nothing (no progress, no warnings; they are still in the result). */
    public Trainer silent() {
        return progress(Progress.Mode.SILENT);
    }

    /** Where progress and warnings are printed (default {@code System.out}). */
    public Trainer output(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    /** Writes the per-epoch metrics as CSV to {@code file} (one row per epoch, rewritten atomically each epoch). */
    public Trainer metricsLog(Path file) {
        this.metricsLog = Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * Writes a training report into the folder {@code dir} when training ends, also when the run
     * stops early or fails: PNG plots of the loss, the accuracy (classification), each parameter's
     * gradient norm and update/weight ratio, weight histograms at the first, middle and last epochs
     * and the dead ReLU units, and an {@code index.html} that shows them with the final and best
     * metrics, the warnings, the model summary and the optimizer. The page opens from disk in any
     * browser, with no script, no server and nothing fetched from the network.
     *
     * <p>The folder is created if missing; its parent must exist (a missing parent is refused, naming
     * it, before the first epoch). Each file is written atomically. Plots are drawn off-screen with
     * XChart: if the system property {@code java.awt.headless} is not set, the report sets it to
     * {@code true} before drawing (a program that opens windows sets it itself). The report runs after
     * every other callback, so it sees their warnings.
     */
    public Trainer report(Path dir) {
        this.report = Objects.requireNonNull(dir, "dir");
        return this;
    }

    /** Adds callbacks of your own; they run after the built-ins, in order. */
    public Trainer callbacks(Callback... callbacks) {
        for (Callback c : callbacks) {
            userCallbacks.add(Objects.requireNonNull(c, "callback"));
        }
        return this;
    }

    /** Trains on {@code train} with no validation data. */
    public FitResult fit(Dataset train) {
        return fit(train, null);
    }

    /**
     * Trains on {@code train}, measuring {@code validation} (may be null) after every epoch.
     *
     * @throws IllegalArgumentException for unlabeled training data, or validation data of another
     *                                  kind or width than the training data
     */
    public FitResult fit(Dataset train, Dataset validation) {
        Objects.requireNonNull(train, "train must not be null");
        if (!train.hasLabels()) {
            throw new IllegalArgumentException("fit needs labeled training data (class labels or regression targets)");
        }
        if (validation != null && (validation.numFeatures() != train.numFeatures()
                || validation.isClassification() != train.isClassification())) {
            throw new IllegalArgumentException("the validation data (" + validation + ") does not match the training data ("
                    + train + ")");
        }
        createOutputFolders();
        Checkpoint resume = readResume();
        long seed = resume != null ? resume.shuffleSeed() : shuffleSeed;
        DataLoader loader = DataLoader.of(train, batchSize);
        if (shuffle) {
            loader = loader.shuffle(seed);
        }
        if (dropLast) {
            loader = loader.dropLast();
        }
        return run(new LocalSteps(loader), validation, resume, shuffle ? seed : 0);
    }

    /**
     * Trains with the steps {@code source} computes (on this machine or elsewhere), measuring
     * {@code validation} (may be null) here after every epoch. Batch size, shuffling and drop-last
     * are the source's business; everything else (epochs, callbacks, health, clipping, early
     * stopping, checkpoints, resuming, the report) is this trainer's, as with a local data set.
     */
    public FitResult fit(StepSource source, Dataset validation) {
        java.util.Objects.requireNonNull(source, "source must not be null");
        createOutputFolders();
        return run(source, validation, readResume(), 0);
    }

    private Checkpoint readResume() {
        if (resumeFrom == null) {
            return null;
        }
        try {
            return Checkpoint.read(resumeFrom, model.parameters().get(0).backend());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + resumeFrom + ": " + e.getMessage(), e);
        }
    }

    private FitResult run(StepSource source, Dataset validation, Checkpoint resume, long seed) {
        List<Callback> callbacks = new ArrayList<>();
        FitState run = new FitState(model, optimizer, source, validation, epochs, out, callbacks);
        callbacks.add(new Progress(progress));
        if (health.enabled()) {
            callbacks.add(health);
        }
        if (!Double.isNaN(clipNorm) || !Double.isNaN(clipValue)) {
            callbacks.add(new Clipping(clipNorm, clipValue));
        }
        if (earlyStopping != null) {
            callbacks.add(earlyStopping);
        }
        if (checkpoints != null) {
            checkpoints.configure(earlyStopping, seed);
            callbacks.add(checkpoints);
        }
        if (metricsLog != null) {
            callbacks.add(new MetricsLog(metricsLog));
        }
        callbacks.addAll(userCallbacks);
        if (report != null) {
            Report r = new Report(report, earlyStopping, health.exploding());
            r.check();
            callbacks.add(r);
        }
        int start = resume != null ? resume.restore(run, earlyStopping) + 1 : 0;
        return new Loop(run, callbacks, source, validation).run(start);
    }

    /** The folders of the files this run writes, made if missing (like Keras's callbacks, unlike {@code Layer.save}). */
    private void createOutputFolders() {
        List<Path> outputs = new ArrayList<>();
        if (checkpoints != null) {
            outputs.addAll(checkpoints.files());
        }
        if (metricsLog != null) {
            outputs.add(metricsLog);
        }
        for (Path p : outputs) {
            Path parent = p.toAbsolutePath().getParent();
            try {
                if (parent != null) {
                    java.nio.file.Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the folder " + parent + " for " + p + ": " + e, e);
            }
        }
    }

    /** The steps of a local {@link DataLoader}: forward and backward on each batch, on this machine. */
    private final class LocalSteps implements StepSource {
        private final DataLoader loader;
        private int epochCached = -1;
        private List<Batch> batches;

        LocalSteps(DataLoader loader) {
            this.loader = loader;
        }

        @Override
        public int stepsPerEpoch() {
            return loader.batchesPerEpoch();
        }

        @Override
        public boolean classification() {
            return loader.dataset().isClassification();
        }

        @Override
        public Step compute(int epoch, int index) {
            if (epoch != epochCached) {
                batches = new ArrayList<>();
                loader.epoch(epoch).forEach(batches::add);
                epochCached = epoch;
            }
            Batch batch = batches.get(index);
            Variable output = model.apply(batch.features());
            Variable l = loss.apply(output, batch.labels());
            double value = l.item();
            if (Double.isFinite(value)) {
                l.backward();
            }
            long right = classification() ? correct(output, batch.labelIndices()) : 0;
            return new Step(value, batch.size(), right, batch, output);
        }

        @Override
        public String toString() {
            return loader.dataset() + ", " + loader;
        }
    }

    /** One run of the training loop. */
    private final class Loop {
        private final FitState run;
        private final List<Callback> callbacks;
        private final StepSource source;
        private final Dataset validation;

        Loop(FitState run, List<Callback> callbacks, StepSource source, Dataset validation) {
            this.run = run;
            this.callbacks = callbacks;
            this.source = source;
            this.validation = validation;
        }

        FitResult run(int start) {
            run.epoch = start;
            callbacks.forEach(c -> c.onTrainBegin(run));
            for (int epoch = start; epoch < epochs && !run.isStopping(); epoch++) {
                run.epoch = epoch;
                epoch(epoch);
            }
            if (run.epoch >= epochs) {
                run.epoch = epochs - 1;
            }
            callbacks.forEach(c -> c.onTrainEnd(run));
            return new FitResult(run.history(), run.warnings(), run.stopReason(), run.failed(),
                    earlyStopping == null ? null : earlyStopping.bestEpoch());
        }

        private void epoch(int epoch) {
            long t0 = System.nanoTime();
            model.train();
            callbacks.forEach(c -> c.onEpochBegin(run));
            double lossSum = 0;
            long rows = 0;
            long right = 0;
            int steps = source.stepsPerEpoch();
            for (int b = 0; b < steps; b++) {
                run.batchIndex = b;
                run.batch = null;
                run.output = null;
                callbacks.forEach(c -> c.onBatchBegin(run));
                optimizer.zeroGrad();
                StepSource.Step step = source.compute(epoch, b);
                run.batch = step.batch();
                run.output = step.output();
                run.batchLoss = step.loss();
                if (!Double.isFinite(run.batchLoss)) {
                    run.warn(TrainingWarning.Kind.NON_FINITE, "loss", "the loss is " + run.batchLoss + " at epoch "
                            + (epoch + 1) + ", batch " + (b + 1) + "; the run stopped with the last good "
                            + "weights. Look for a NaN or infinite input, a log of 0, or a learning rate too large "
                            + "(detectAnomaly() names the first op that made it)");
                    run.fail("non-finite loss");
                    break;
                }
                callbacks.forEach(c -> c.afterBackward(run));
                if (run.failed()) {
                    break;
                }
                optimizer.step();
                run.step++;
                lossSum += run.batchLoss * step.rows();
                rows += step.rows();
                right += step.correct();
                callbacks.forEach(c -> c.onBatchEnd(run));
                if (run.isStopping()) {
                    break;
                }
            }
            if (run.failed() || rows == 0) {
                return;
            }
            double trainLoss = lossSum / rows;
            double trainAcc = source.classification() ? right / (double) rows : Double.NaN;
            double[] val = evaluate(validation);
            run.record(new EpochRecord(epoch, trainLoss, trainAcc, val[0], val[1], optimizer.lr(),
                    (System.nanoTime() - t0) / 1e9, health.parameterStats(), health.deadUnits(),
                    health.weightHistograms(), health.gradientHistograms()));
            callbacks.forEach(c -> c.onEpochEnd(run));
        }

        /** {loss, accuracy} on {@code data} in evaluation mode, or NaNs without data. */
        private double[] evaluate(Dataset data) {
            if (data == null || data.size() == 0) {
                return new double[]{Double.NaN, Double.NaN};
            }
            model.eval();
            try (var s = GradMode.noGrad()) {
                Variable out = model.apply(data.features());
                double l = loss.apply(out, data.labels()).item();
                double acc = data.isClassification() ? correct(out, data.labelIndices()) / (double) data.size()
                        : Double.NaN;
                return new double[]{l, acc};
            } finally {
                model.train();
            }
        }
    }

    /** How many rows the output's argmax classifies as {@code labels} says. */
    static long correct(Variable output, int[] labels) {
        float[] predicted = output.data().argmax(output.rank() - 1, false).toFloatArray();
        long n = 0;
        for (int i = 0; i < labels.length; i++) {
            n += (int) predicted[i] == labels[i] ? 1 : 0;
        }
        return n;
    }
}
