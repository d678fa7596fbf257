package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** W5's shape as a test: a million chained ops backpropagate on the default stack (no recursion). */
@Tag("slow")
class DeepChainTest {

    @Test
    void aMillionChainedOpsBackpropagate() {
        Backend b = Backends.ejml();
        Variable x = Variable.of(b.scalar(0.5, DType.FLOAT64), true);
        Variable y = x;
        for (int i = 0; i < 1_000_000; i++) {
            y = y.mul(0.999999);
        }
        y.backward();
        assertEquals(Math.pow(0.999999, 1_000_000), x.grad().item(), 1e-9);
    }
}
