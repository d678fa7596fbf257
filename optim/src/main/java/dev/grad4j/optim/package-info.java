/**
 * Training parameters from their gradients: optimizers ({@link dev.grad4j.optim.SGD},
 * {@link dev.grad4j.optim.Adam}, {@link dev.grad4j.optim.AdamW}, {@link dev.grad4j.optim.RMSprop})
 * built over parameter groups with fluent builders, gradient clipping ({@link dev.grad4j.optim.Clip}),
 * and learning-rate schedules ({@link dev.grad4j.optim.StepLR}, {@link dev.grad4j.optim.ExponentialLR},
 * {@link dev.grad4j.optim.CosineAnnealingLR}, {@link dev.grad4j.optim.LinearWarmup}).
 *
 * <pre>{@code
 * Optimizer opt = Adam.builder(params).lr(1e-3).build();
 * LRScheduler schedule = new LinearWarmup(opt, 5, 0.1, new CosineAnnealingLR(opt, 95));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     opt.zeroGrad();
 *     loss().backward();
 *     Clip.gradNorm(params, 1.0);
 *     opt.step();
 *     schedule.step();
 * }
 * }</pre>
 *
 * <p>Every update rule, schedule and clipping formula follows PyTorch's and is pinned to it by
 * golden trajectories. Optimizer state is a flat map of names to tensors
 * ({@link dev.grad4j.optim.Optimizer#stateDict()}) that a resumed run loads back after full
 * validation.
 *
 * <p>This layer depends on {@code autograd} (and through it the {@code api}) only: it takes
 * {@code Iterable<Variable>}, never {@code nn} modules, and never sees EJML or ND4J types.
 * Parameters are changed in place with the tensor in-place ops under
 * {@link dev.grad4j.autograd.GradMode#noGrad()}, so their version counters record every update.
 */
package dev.grad4j.optim;
