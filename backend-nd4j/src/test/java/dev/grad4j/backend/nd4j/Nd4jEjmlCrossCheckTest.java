package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.backend.ejml.EjmlBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same computations on ND4J and on EJML (the pure-Java default), compared in float64 at
 * {@code rtol = atol = 1e-12}, and in float32 at {@code rtol 1e-5, atol 1e-6}: two independent
 * implementations of one api must agree.
 */
class Nd4jEjmlCrossCheckTest {

    private static final Backend ND4J = new Nd4jBackend();
    private static final Backend EJML = new EjmlBackend();

    /** A computation that builds its own inputs on the backend it is given. */
    private record Case(String name, Function<Backend, Tensor> run) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Tensor input(Backend b, DType dt, long seed, double lo, double hi, int... dims) {
        double[] v = Ref.random(Shape.of(dims).size(), seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * (v[i] + 1) / 2;
        }
        return b.fromArray(v, dims).to(dt);
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (UnaryOp op : UnaryOp.values()) {
                boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT;
                cases.add(new Case(dt + " unary " + op, b -> b.unary(op, input(b, dt, 1, positive ? 0.01 : -4, 4, 3, 5))));
            }
            for (BinaryOp op : BinaryOp.values()) {
                boolean pow = op == BinaryOp.POW;
                cases.add(new Case(dt + " binary " + op, b -> b.binary(op, input(b, dt, 2, pow ? 0.1 : -3, 3, 4, 1, 3),
                        input(b, dt, 3, -2, 2, 2, 1))));
            }
            for (CompareOp op : CompareOp.values()) {
                cases.add(new Case(dt + " compare " + op, b -> b.compare(op, input(b, dt, 4, -1, 1, 3, 4).mul(2.0).unary(UnaryOp.SIGN),
                        input(b, dt, 5, -1, 1, 4).unary(UnaryOp.SIGN))));
            }
            for (ReduceOp op : ReduceOp.values()) {
                cases.add(new Case(dt + " reduce " + op + " axes 0,2", b -> b.reduce(op, input(b, dt, 6, -5, 5, 3, 4, 5), new int[]{0, 2}, true)));
                cases.add(new Case(dt + " reduce " + op + " all", b -> b.reduce(op, input(b, dt, 7, -5, 5, 6, 7), null, false)));
            }
            cases.add(new Case(dt + " argmax", b -> input(b, dt, 8, -1, 1, 4, 6).argmax(1, false)));
            cases.add(new Case(dt + " argmin keepDims", b -> input(b, dt, 9, -1, 1, 4, 6).argmin(0, true)));
            cases.add(new Case(dt + " where", b -> Tensor.where(input(b, dt, 10, -1, 1, 3, 1).gt(0.0),
                    input(b, dt, 11, -1, 1, 1, 4), input(b, dt, 12, -1, 1, 3, 4))));
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    cases.add(new Case(dt + " matmul batch tA=" + ta + " tB=" + tb, b -> b.matmul(
                            input(b, dt, 13, -1, 1, 3, ta ? 7 : 5, ta ? 5 : 7), input(b, dt, 14, -1, 1, 3, tb ? 6 : 7, tb ? 7 : 6), ta, tb)));
                }
            }
            cases.add(new Case(dt + " matmul broadcast batch", b -> input(b, dt, 15, -1, 1, 2, 1, 4, 3)
                    .matmul(input(b, dt, 16, -1, 1, 5, 3, 2))));
            cases.add(new Case(dt + " permute then slice", b -> input(b, dt, 17, -1, 1, 2, 3, 4).permute(2, 0, 1).slice(0, 1, 4, 2)));
            cases.add(new Case(dt + " expand then reshape", b -> input(b, dt, 18, -1, 1, 3, 1).expand(2, 3, 4).reshape(4, 6)));
            cases.add(new Case(dt + " concat", b -> Tensor.concat(List.of(input(b, dt, 19, -1, 1, 2, 3), input(b, dt, 20, -1, 1, 2, 1)), 1)));
            cases.add(new Case(dt + " gather", b -> input(b, dt, 21, -1, 1, 3, 5).indexSelect(1, 4, 0, 4, 2)));
            cases.add(new Case(dt + " indexAdd", b -> b.indexAdd(Shape.of(3, 4), 1, new int[]{3, 3, 0, 1, 3}, input(b, dt, 22, -1, 1, 3, 5))));
            cases.add(new Case(dt + " softmax", b -> b.softmax(input(b, dt, 23, -10, 10, 4, 5), 1)));
            cases.add(new Case(dt + " logSumExp", b -> b.logSumExp(input(b, dt, 24, -10, 10, 4, 5), 0, false)));
            cases.add(new Case(dt + " in-place chain", b -> {
                Tensor t = input(b, dt, 25, -1, 1, 3, 4);
                t.addInPlace(input(b, dt, 26, -1, 1, 4), -0.3);
                t.mulInPlace(input(b, dt, 27, -1, 1, 3, 1));
                t.unaryInPlace(UnaryOp.TANH);
                return t;
            }));
        }
        return cases.stream().map(c -> Arguments.of(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nd4jAgreesWithEjml(Case c) {
        Tensor nd = c.run().apply(ND4J);
        Tensor ej = c.run().apply(EJML);
        assertEquals(ej.shape(), nd.shape(), c.name() + ": shape");
        assertEquals(ej.dtype(), nd.dtype(), c.name() + ": dtype");
        boolean f64 = nd.dtype() == DType.FLOAT64;
        Ref.assertClose(ej.toDoubleArray(), nd.toDoubleArray(), f64 ? 1e-12 : 1e-5, f64 ? 1e-12 : 1e-6, c.name());
    }
}
