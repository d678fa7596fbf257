/**
 * Training: {@link dev.grad4j.train.Trainer} and {@link dev.grad4j.train.Training#fit} run the
 * loop over a {@code DataLoader}, and {@link dev.grad4j.train.Callback}s do everything else:
 * metrics, gradient health and its warnings, clipping, early stopping, checkpoints that resume
 * exactly, progress, a metrics log and the report. Every built-in is a callback a user could have
 * written.
 *
 * <p>This layer depends on {@code nn}, {@code optim} and {@code data}; nothing in them depends on it.
 */
package dev.grad4j.train;
