package dev.grad4j.data;

import dev.grad4j.api.Defaults;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches of a {@link Dataset}, epoch after epoch, in order or shuffled:
 *
 * <pre>{@code
 * var loader = DataLoader.of(data.train(), 32).shuffle(0).dropLast();
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     for (Batch b : loader.epoch(epoch)) {
 *         opt.zeroGrad();
 *         Losses.crossEntropy(model.forward(b.features()), b.labels()).backward();
 *         opt.step();
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Shuffling</b> draws a new order for every epoch from the seed and the epoch number
 *       alone, so epoch k's order is the same in every run with that seed and can be rebuilt
 *       directly when resuming at epoch k, without replaying epochs 0..k-1. Without
 *       {@link #shuffle(long)} the rows come in dataset order every epoch.</li>
 *   <li><b>Iterating the loader itself</b> ({@code for (Batch b : loader)}) runs its next epoch:
 *       0 the first time, then 1, 2, ..., as PyTorch's {@code DataLoader} reshuffles on each pass.
 *       {@link #epoch(int)} names the epoch explicitly and does not move that count.</li>
 *   <li><b>The last batch</b> holds the rows left over ({@code N mod batchSize}) unless
 *       {@link #dropLast()}.</li>
 * </ul>
 *
 * <p>A loader is immutable apart from that epoch count: {@link #shuffle(long)} and
 * {@link #dropLast()} return new loaders. Each batch's features and labels are gathered on the
 * dataset's backend when the batch is reached.
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final AtomicInteger nextEpoch = new AtomicInteger();

    private DataLoader(Dataset data, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /**
     * A loader of {@code data} in batches of {@code batchSize} rows, in dataset order, keeping the
     * last, smaller batch.
     *
     * @throws IllegalArgumentException for a batch size below 1
     */
    public static DataLoader of(Dataset data, int batchSize) {
        Objects.requireNonNull(data, "data must not be null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        return new DataLoader(data, batchSize, false, 0, false);
    }

    /** This loader, shuffling every epoch from {@code seed}: the same seed and epoch give the same order. */
    public DataLoader shuffle(long seed) {
        return new DataLoader(data, batchSize, true, seed, dropLast);
    }

    /** This loader, shuffling every epoch from a seed drawn now from the defaults scope's generator ({@code using(...).seed(0)}). */
    public DataLoader shuffle() {
        return shuffle(Defaults.generator().nextLong());
    }

    /**
     * This loader, leaving out each epoch's last batch when it is smaller than the batch size (so
     * every batch has exactly {@code batchSize} rows; with shuffling a different rest is left out
     * each epoch).
     *
     * @throws IllegalArgumentException when that leaves no batch at all (a batch size above the row count)
     */
    public DataLoader dropLast() {
        if (batchSize > data.size()) {
            throw new IllegalArgumentException("dropLast with batchSize " + batchSize + " leaves no batch of the "
                    + data.size() + " rows: use a batchSize <= " + data.size() + " or keep the last batch");
        }
        return new DataLoader(data, batchSize, shuffle, seed, true);
    }

    /** The dataset batched. */
    public Dataset dataset() {
        return data;
    }

    /** The rows per batch (the last batch of an epoch can have fewer, unless {@link #dropLast()}). */
    public int batchSize() {
        return batchSize;
    }

    /** Whether each epoch's order is shuffled. */
    public boolean shuffles() {
        return shuffle;
    }

    /** Whether each epoch's last, smaller batch is left out. */
    public boolean dropsLast() {
        return dropLast;
    }

    /** The number of batches in every epoch: {@code ceil(N / batchSize)}, or {@code floor} with {@link #dropLast()}. */
    public int batchesPerEpoch() {
        int n = data.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The order in which a loader shuffling with {@code seed} visits {@code n} rows in
     * {@code epoch}: the same as {@link #order(int)} of such a loader, for code that holds no
     * {@code Dataset} (a distributed data set whose rows are numbered 0..n-1).
     *
     * @throws IllegalArgumentException for a negative {@code n} or epoch
     */
    public static int[] order(long seed, int epoch, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("order needs n >= 0, got " + n);
        }
        checkEpoch(epoch);
        return Splits.permutation(n, new Random(Splits.epochSeed(seed, epoch)));
    }

    /**
     * The order in which epoch {@code epoch} visits the dataset's rows (all N of them; with
     * {@link #dropLast()} the last {@code N mod batchSize} are left out of the batches).
     *
     * @throws IllegalArgumentException for a negative epoch
     */
    public int[] order(int epoch) {
        checkEpoch(epoch);
        int n = data.size();
        if (!shuffle) {
            int[] p = new int[n];
            Arrays.setAll(p, i -> i);
            return p;
        }
        return order(seed, epoch, n);
    }

    private static void checkEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
    }

    /**
     * The batches of epoch {@code epoch}; iterating it twice gives the same batches. This does not
     * move the count that iterating the loader itself follows.
     *
     * @throws IllegalArgumentException for a negative epoch
     */
    public Iterable<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        int batches = batchesPerEpoch();
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (next >= batches) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + batches + " batches");
                }
                int from = next * batchSize;
                int[] rows = Arrays.copyOfRange(order, from, Math.min(from + batchSize, order.length));
                Batch b = new Batch(epoch, next, rows, data.rows(rows));
                next++;
                return b;
            }
        };
    }

    /**
     * The batches of this loader's next epoch: 0 on the first call, then 1, 2, ... (so a for-each
     * loop over the loader reshuffles each time, as in PyTorch).
     */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(nextEpoch.getAndIncrement()).iterator();
    }

    /** {@code DataLoader(150 rows, batchSize 32, 5 batches per epoch, shuffled (seed 0), drop last)}. */
    @Override
    public String toString() {
        return "DataLoader(" + data.size() + " rows, batchSize " + batchSize + ", " + batchesPerEpoch()
                + " batches per epoch" + (shuffle ? ", shuffled (seed " + seed + ")" : ", in order")
                + (dropLast ? ", drop last" : "") + ")";
    }
}
