/**
 * Training parameters from their gradients: optimizers ({@link dev.grad4j.optim.SGD},
 * {@link dev.grad4j.optim.Adam}, {@link dev.grad4j.optim.AdamW}, {@link dev.grad4j.optim.RMSprop})
 * made by static factories over one typed, validated config record each, gradient clipping
 * ({@link dev.grad4j.optim.Clip}), and learning-rate schedules ({@link dev.grad4j.optim.StepLR},
 * {@link dev.grad4j.optim.ExponentialLR}, {@link dev.grad4j.optim.CosineAnnealingLR},
 * {@link dev.grad4j.optim.LinearWarmup}).
 *
 * <pre>{@code
 * var opt = Adam.of(params, 1e-3);                      // or Adam.of(params, Adam.config(1e-3).amsgrad(true))
 * var schedule = new LinearWarmup(opt, 5, 0.1, new CosineAnnealingLR(opt, 95));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     double loss = opt.minimize(() -> loss());        // zeroGrad, forward, backward, step
 *     schedule.step();
 * }
 * }</pre>
 *
 * <p>Hyper-parameters are records ({@link dev.grad4j.optim.SGD.Config}, ...) that implement
 * {@link dev.grad4j.optim.OptimizerConfig}: each field is checked when the record is made, rules
 * across fields when the optimizer is built or a state loaded. The learning rate has one rule,
 * {@link dev.grad4j.optim.OptimizerConfig#checkLr(double)} (a finite number {@code >= 0}, as in
 * PyTorch), used by every config, {@link dev.grad4j.optim.ParamGroup#setLr} and every schedule; a
 * step at lr 0 advances the optimizer's state and leaves the parameters unchanged. Parameter
 * groups with their own configs are made with {@link dev.grad4j.optim.OptimizerBuilder}.
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
