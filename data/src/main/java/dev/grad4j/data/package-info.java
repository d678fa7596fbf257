/**
 * Data for training: a {@link dev.grad4j.data.Dataset} of (features, label) rows held as tensors,
 * loaded from CSV ({@link dev.grad4j.data.Csv}) or NumPy {@code .npz} files
 * ({@link dev.grad4j.data.Datasets}), cut into seeded, optionally stratified parts
 * ({@link dev.grad4j.data.Split}), scaled with statistics of the training part only
 * ({@link dev.grad4j.data.Scaler}), and served in batches with a seeded order per epoch
 * ({@link dev.grad4j.data.DataLoader}).
 *
 * <pre>{@code
 * try (var env = using("simd").seed(0)) {
 *     var data = Csv.read(path).label("species").stratifiedSplit(0.8, 0.2).standardize();
 *     var loader = DataLoader.of(data.train(), 16).shuffle(0);
 *     for (int epoch = 0; epoch < 100; epoch++) {
 *         for (Batch b : loader.epoch(epoch)) {
 *             Variable loss = Losses.crossEntropy(model.forward(b.features()), b.labels());
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>What this layer owns: reading data files into tensors (with one-line errors naming file, line
 * and column), row selection, splitting, feature scaling and batching, every random choice made
 * from an explicit seed or the defaults scope's generator so that a run can be repeated and
 * resumed. Tensors are made on the defaults scope's backend, in its dtype, when data is loaded.
 *
 * <p>What it must not do: depend on {@code nn}, {@code optim} or a backend module (it sees
 * {@code api} and {@code autograd} only, and the CSV parser), know about models, losses or training
 * loops, or hold EJML or ND4J types. Nothing in {@code api}, {@code autograd}, {@code nn} or
 * {@code optim} depends on it; {@code train} builds on it.
 */
package dev.grad4j.data;
