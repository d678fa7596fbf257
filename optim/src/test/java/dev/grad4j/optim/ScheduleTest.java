package dev.grad4j.optim;

import dev.grad4j.autograd.Backends;

import dev.grad4j.api.Backend;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schedules beyond the golden sequences: composition rules, zero start factor, custom schedules. */
class ScheduleTest {

    private final Backend b = Backends.ejml();

    private SGD sgd(double lr) {
        return SGD.of(List.of(Variable.of(b.fromArray(new double[]{1}), true)), lr);
    }

    @Test
    void makingASchedulerSetsEpochZerosRate() {
        SGD opt = sgd(0.1);
        LinearWarmup warmup = new LinearWarmup(opt, 4, 0.25);
        assertEquals(0, warmup.lastEpoch());
        assertEquals(0.025, opt.lr(), 1e-15);
        assertArrayEquals(new double[]{0.1}, warmup.baseLrs());
        assertArrayEquals(new double[]{0.025}, warmup.lastLr(), 1e-15);
    }

    @Test
    void aWarmUpMayStartFromZero() {
        SGD opt = sgd(0.2);
        LinearWarmup warmup = new LinearWarmup(opt, 4, 0.0, new ExponentialLR(opt, 0.5));
        double[] expected = {0, 0.05, 0.1, 0.15, 0.2, 0.1, 0.05};
        for (int e = 0; e < expected.length; e++) {
            if (e > 0) {
                warmup.step();
            }
            assertEquals(expected[e], opt.lr(), 1e-15, "epoch " + e);
        }
    }

    @Test
    void warmUpsNest() {
        SGD opt = sgd(1.0);
        LinearWarmup inner = new LinearWarmup(opt, 2, 0.5, new StepLR(opt, 2, 0.1));
        LinearWarmup outer = new LinearWarmup(opt, 2, 0.0, inner);
        assertArrayEquals(new double[]{1.0}, outer.baseLrs(), "the base is the original rate, not the inner warm-up's");
        double[] expected = {0, 0.5, 0.5, 0.75, 1.0, 1.0, 0.1};
        for (int e = 0; e < expected.length; e++) {
            if (e > 0) {
                outer.step();
            }
            assertEquals(expected[e], opt.lr(), 1e-15, "epoch " + e);
        }
        assertThrows(IllegalStateException.class, inner::step);
    }

    @Test
    void cosineStopsAtEtaMinAfterTMaxEpochsAndRisesAfter() {
        SGD opt = sgd(0.1);
        CosineAnnealingLR cosine = new CosineAnnealingLR(opt, 4, 0.01);
        for (int e = 1; e <= 4; e++) {
            cosine.step();
        }
        assertEquals(0.01, opt.lr(), 1e-15);
        cosine.step();
        assertTrue(opt.lr() > 0.01);
    }

    @Test
    void everyGroupFollowsItsOwnBaseRate() {
        Variable w = Variable.of(b.fromArray(new double[]{1}), true);
        Variable v = Variable.of(b.fromArray(new double[]{1}), true);
        Adam opt = Adam.builder(Adam.config(0.1)).group(List.of(w)).group(List.of(v), g -> g.lr(0.01)).build();
        ExponentialLR s = new ExponentialLR(opt, 0.5);
        s.step();
        assertEquals(0.05, opt.paramGroups().get(0).lr(), 1e-15);
        assertEquals(0.005, opt.paramGroups().get(1).lr(), 1e-15);
        assertArrayEquals(new double[]{0.05, 0.005}, s.lastLr(), 1e-15);
        assertTrue(s.toString().startsWith("ExponentialLR(lastEpoch=1"), s.toString());
    }

    /** A user's schedule: one class with the formula. */
    private static final class Halving extends LRScheduler {
        private final boolean callStart;

        Halving(Optimizer<?> optimizer, boolean callStart) {
            super(optimizer);
            this.callStart = callStart;
            if (callStart) {
                start();
            }
        }

        @Override
        protected double lrAt(int epoch, double baseLr) {
            return callStart ? baseLr / (1 << epoch) : -1;
        }
    }

    @Test
    void aCustomScheduleNeedsStartAndAValidRate() {
        SGD opt = sgd(0.4);
        Halving halving = new Halving(opt, true);
        halving.step();
        assertEquals(0.2, opt.lr(), 1e-15);

        Halving forgot = new Halving(opt, false);
        IllegalStateException e = assertThrows(IllegalStateException.class, forgot::step);
        assertTrue(e.getMessage().contains("start()"), e.getMessage());
        assertEquals(0.2, opt.lr(), 1e-15, "a scheduler that never started changed nothing");
    }

    @Test
    void aScheduleThatComputesAnInvalidRateIsRefusedBeforeAnyGroupChanges() {
        Variable w = Variable.of(b.fromArray(new double[]{1}), true);
        Variable v = Variable.of(b.fromArray(new double[]{1}), true);
        SGD opt = SGD.builder(SGD.config(0.1)).group(List.of(w)).group(List.of(v), g -> g.lr(0.2)).build();
        LRScheduler negativeForSecond = new LRScheduler(opt) {
            {
                start();
            }

            @Override
            protected double lrAt(int epoch, double baseLr) {
                return epoch == 0 || baseLr < 0.15 ? baseLr : -baseLr;
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, negativeForSecond::step);
        assertTrue(e.getMessage().contains("-0.2") && e.getMessage().contains("group 1"), e.getMessage());
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals(0.2, opt.paramGroups().get(1).lr());
        assertEquals(0, negativeForSecond.lastEpoch(), "the epoch did not advance");
    }
}
