package dev.grad4j.optim;

import dev.grad4j.autograd.Backends;
import dev.grad4j.autograd.Close;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.autograd.Variable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Learning-rate sequences pinned to PyTorch's schedulers: two parameter groups (lr 0.1 and 0.02),
 * the rates after construction and after each of 25 {@code step()} calls.
 */
class GoldenScheduleTest {

    static Stream<Arguments> schedules() {
        List<JsonNode> all = Golden.list("schedules");
        return Backends.all().flatMap(b -> all.stream().map(s -> Arguments.of(s.get("name").asText(), b, s)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("schedules")
    void matchesPyTorch(String name, Backend backend, JsonNode s) {
        double[] base = Golden.doubles(s.get("baseLrs"));
        OptimizerBuilder<SGD.Config, SGD> builder = SGD.builder(SGD.config(base[0]));
        for (double lr : base) {
            Variable p = Variable.of(backend.zeros(Shape.of(1), DType.FLOAT64), true);
            builder.group(List.of(p), g -> g.lr(lr));
        }
        SGD opt = builder.build();
        LRScheduler schedule = Golden.schedule(opt, s.get("schedule"));
        JsonNode lrs = s.get("lrs");
        for (int epoch = 0; epoch < lrs.size(); epoch++) {
            if (epoch > 0) {
                schedule.step();
            }
            assertEquals(epoch, schedule.lastEpoch());
            double[] actual = new double[base.length];
            for (int g = 0; g < base.length; g++) {
                actual[g] = opt.paramGroups().get(g).lr();
            }
            Close.assertClose(Golden.doubles(lrs.get(epoch)), actual, 1e-12, 1e-15, name + " epoch " + epoch);
            assertArrayEquals(actual, schedule.lastLr(), name + " lastLr() at epoch " + epoch);
        }
        assertArrayEquals(base, schedule.baseLrs(), name + " base rates");
    }
}
