package dev.grad4j.optim;

import dev.grad4j.api.Tensor;

import java.util.List;

/** What {@link Adam} and {@link AdamW} share besides their config: the update and the state's names. */
abstract sealed class AdamBase extends Optimizer<Adam.Config> permits Adam, AdamW {

    AdamBase(OptimizerBuilder<Adam.Config, ?> builder) {
        super(builder);
    }

    @Override
    protected final void update(ParamGroup<Adam.Config> group, Tensor param, Tensor grad, ParamState state) {
        AdamRule.update(group.config().hyper(), param, grad, state);
    }

    @Override
    protected final List<String> stateNames(Adam.Config config) {
        return AdamRule.stateNames(config.amsgrad());
    }

    @Override
    protected final boolean countsSteps() {
        return true;
    }
}
