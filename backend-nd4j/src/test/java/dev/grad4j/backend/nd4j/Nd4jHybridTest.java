package dev.grad4j.backend.nd4j;

import dev.grad4j.api.BinaryOp;
import dev.grad4j.api.CompareOp;
import dev.grad4j.api.DType;
import dev.grad4j.api.ReduceOp;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.UnaryOp;
import dev.grad4j.api.spi.AdamStep;
import dev.grad4j.api.spi.FusedAdam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.function.Function;

import static dev.grad4j.backend.nd4j.Ref.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ops that cross the heap/ND4J threshold: a backend that keeps tensors of at most {@value #T}
 * elements on the heap and larger ones in ND4J ({@code MIXED}), checked against the same ops on a
 * backend that keeps everything on the heap ({@code HEAP}), in both dtypes. Each case first
 * checks that its operands or result really sit on both sides.
 */
class Nd4jHybridTest {

    /** Heap threshold of the mixed backend: a (2, 4) tensor is on the heap, a (3, 4) one in ND4J. */
    private static final int T = 8;

    private static final Nd4jBackend MIXED = new Nd4jBackend(T);
    private static final Nd4jBackend HEAP = new Nd4jBackend(Integer.MAX_VALUE);

    private static boolean onHeap(Tensor t) {
        return ((Nd4jTensor) t).onHeap();
    }

    /** The tensors of one case, made on both backends from the same values. */
    private record Pair(Tensor mixed, Tensor heap) {
    }

    private static Pair pair(DType dt, long seed, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = Ref.random(s.size(), seed);
        return new Pair(MIXED.fromArray(v.clone(), s).to(dt), HEAP.fromArray(v.clone(), s).to(dt));
    }

    private static double rtol(DType dt) {
        return dt == DType.FLOAT32 ? 2e-6 : 1e-13;
    }

    /** {@code op} on both backends agrees (exactly when {@code exact}), and its result lives where its size says. */
    private static void same(String what, DType dt, boolean exact, Function<Tensor[], Tensor> op, Pair... operands) {
        Tensor[] m = new Tensor[operands.length];
        Tensor[] h = new Tensor[operands.length];
        for (int i = 0; i < operands.length; i++) {
            m[i] = operands[i].mixed();
            h[i] = operands[i].heap();
        }
        Tensor rm = op.apply(m);
        Tensor rh = op.apply(h);
        assertEquals(rh.shape(), rm.shape(), what + ": shape");
        assertEquals(rh.dtype(), rm.dtype(), what + ": dtype");
        assertEquals(rm.size() <= T, onHeap(rm), what + ": a result of " + rm.size() + " elements on the heap?");
        if (exact) {
            assertArrayEquals(rh.toDoubleArray(), rm.toDoubleArray(), what);
        } else {
            assertClose(rh.toDoubleArray(), rm.toDoubleArray(), rtol(dt), rtol(dt), what);
        }
    }

    /** Asserts that the tensors sit on both sides of the threshold. */
    private static void mixed(String what, Tensor... ts) {
        boolean heap = false;
        boolean nat = false;
        for (Tensor t : ts) {
            heap |= onHeap(t);
            nat |= !onHeap(t);
        }
        assertTrue(heap && nat, what + ": operands and result on both sides of the threshold");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryOpsMixingHeapAndNativeOperands(DType dt) {
        Pair matrix = pair(dt, 1, 3, 4);     // 12 elements: native
        Pair row = pair(dt, 2, 4);           // heap
        Pair column = pair(dt, 3, 3, 1);     // heap
        Pair scalar = pair(dt, 4);           // shape (1): heap
        Pair small = pair(dt, 5, 2, 4);      // heap, broadcast against (3, 1, 4)
        Pair cube = pair(dt, 6, 3, 1, 4);    // native
        mixed("operands", matrix.mixed(), row.mixed());
        for (BinaryOp op : BinaryOp.values()) {
            boolean exact = op != BinaryOp.POW;
            same(op + " matrix, row", dt, exact, t -> t[0].backend().binary(op, t[0], t[1]), matrix, row);
            same(op + " row, matrix", dt, exact, t -> t[0].backend().binary(op, t[0], t[1]), row, matrix);
            same(op + " matrix, column", dt, exact, t -> t[0].backend().binary(op, t[0], t[1]), matrix, column);
            same(op + " scalar, matrix", dt, exact, t -> t[0].backend().binary(op, t[0], t[1]), scalar, matrix);
            same(op + " matrix, scalar", dt, exact, t -> t[0].backend().binary(op, t[0], t[1]), matrix, scalar);
            // two heap operands whose broadcast result is native
            same(op + " column, row", dt, exact, t -> t[0].backend().binary(op, t[0], t[1]), column, row);
            same(op + " cube, small", dt, exact, t -> t[0].backend().binary(op, t[0], t[1]), cube, small);
        }
        // a float32 heap operand with a float64 native one promotes to float64
        Tensor promoted = MIXED.binary(BinaryOp.ADD, row.mixed().to(DType.FLOAT32), matrix.mixed().to(DType.FLOAT64));
        assertEquals(DType.FLOAT64, promoted.dtype());
        assertClose(HEAP.binary(BinaryOp.ADD, row.heap().to(DType.FLOAT32), matrix.heap().to(DType.FLOAT64)).toDoubleArray(),
                promoted.toDoubleArray(), 0, 0, "promotion across the threshold");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void comparisonsAndWhereAcrossTheThreshold(DType dt) {
        Pair matrix = pair(dt, 11, 3, 4);
        Pair row = pair(dt, 12, 4);
        Pair column = pair(dt, 13, 3, 1);
        for (CompareOp op : CompareOp.values()) {
            same(op + " matrix, row", dt, true, t -> t[0].backend().compare(op, t[0], t[1]), matrix, row);
            same(op + " column, row", dt, true, t -> t[0].backend().compare(op, t[0], t[1]), column, row);
            same(op + " matrix, 0", dt, true, t -> t[0].backend().compare(op, t[0], t[0].scalarLike(0.0)), matrix);
        }
        same("where(matrix > 0, row, column)", dt, true,
                t -> Tensor.where(t[0].gt(0.0), t[1], t[2]), matrix, row, column);
        same("where(row > 0, matrix, 0)", dt, true,
                t -> Tensor.where(t[1].gt(0.0), t[0], t[0].scalarLike(0.0)), matrix, row);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionsOfNativeTensorsGiveHeapResults(DType dt) {
        Pair x = pair(dt, 21, 3, 4, 5);
        for (ReduceOp op : ReduceOp.values()) {
            same(op + " axis 1", dt, false, t -> t[0].backend().reduce(op, t[0], new int[]{1}, false), x);
            same(op + " axes 0, 2", dt, false, t -> t[0].backend().reduce(op, t[0], new int[]{0, 2}, true), x);
            same(op + " all", dt, false, t -> t[0].backend().reduce(op, t[0], null, false), x);
            same(op + " axis 2 (native result)", dt, false, t -> t[0].backend().reduce(op, t[0], new int[]{2}, false), x);
        }
        same("argmax axis 0", dt, true, t -> t[0].backend().argmax(t[0], 0, false), x);
        same("argmin axis 2", dt, true, t -> t[0].backend().argmin(t[0], 2, true), x);
        same("logSoftmax", dt, false, t -> t[0].backend().logSoftmax(t[0], 1), x);
        same("logSumExp", dt, false, t -> t[0].backend().logSumExp(t[0], 2, false), x);
        same("softmax", dt, false, t -> t[0].backend().softmax(t[0], -1), x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulAcrossTheThreshold(DType dt) {
        Pair a = pair(dt, 31, 3, 4);    // native
        Pair b = pair(dt, 32, 4, 2);    // heap
        Pair c = pair(dt, 33, 2, 3);    // heap
        Pair d = pair(dt, 34, 3, 5);    // native
        same("native @ heap -> heap", dt, false, t -> t[0].matmul(t[1]), a, b);
        same("heap @ native -> native", dt, false, t -> t[0].matmul(t[1]), c, d);
        same("heap @ heap -> heap", dt, false, t -> t[0].matmul(t[1]), c, pair(dt, 35, 3, 2));
        same("nativeᵀ @ native", dt, false, t -> t[0].matmul(t[1], true, false), a, pair(dt, 36, 3, 6));
        same("native @ heapᵀ", dt, false, t -> t[0].matmul(t[1], false, true), a, pair(dt, 37, 2, 4));
        same("batched, broadcast", dt, false, t -> t[0].matmul(t[1]), pair(dt, 38, 2, 3, 4), b);
        same("vector @ native", dt, false, t -> t[0].matmul(t[1]), pair(dt, 39, 3), a);
        // large enough for BLAS on the all-heap side (scratch buffers), against the naive product
        int n = 40;
        int k = 50;
        int m = 30;
        double[] av = Ref.random(n * k, 40);
        double[] bv = Ref.random(k * m, 41);
        for (Nd4jBackend be : List.of(MIXED, HEAP)) {
            Tensor r = be.fromArray(av, n, k).to(dt).matmul(be.fromArray(bv, k, m).to(dt));
            assertClose(Ref.matmul(av, bv, 1, n, k, m, false, false), r.toDoubleArray(), dt == DType.FLOAT32 ? 1e-5 : 1e-12,
                    1e-5, "BLAS product on heapMax " + be.heapMax());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void movementAcrossTheThreshold(DType dt) {
        Pair x = pair(dt, 41, 3, 4);
        Pair row = pair(dt, 42, 1, 4);
        same("expand heap row to native", dt, true, t -> t[0].expand(3, 4), row);
        same("expand heap row to a heap batch", dt, true, t -> t[0].expand(2, 4), row);
        same("slice native to heap", dt, true, t -> t[0].slice(0, 1, 3), x);
        same("slice native to native with a step", dt, true, t -> t[0].slice(1, 0, 4, 2).reshape(6).expand(2, 6), x);
        same("permute native", dt, true, t -> t[0].permute(1, 0), x);
        same("concat native and heap", dt, true, t -> t[0].backend().concat(List.of(t[0], t[1]), 0), x, row);
        same("concat heap parts to native", dt, true, t -> t[0].backend().concat(List.of(t[0], t[0], t[0]), 1),
                pair(dt, 45, 2, 2));
        same("stack heap parts to native", dt, true, t -> Tensor.stack(List.of(t[0], t[0], t[0]), 0), row);
        same("indexSelect native to heap", dt, true, t -> t[0].indexSelect(0, 2, 0), x);
        same("indexSelect native to native", dt, true, t -> t[0].indexSelect(1, 3, 3, 0, 1, 2), x);
        same("indexAdd heap source to native", dt, true,
                t -> t[0].backend().indexAdd(Shape.of(4, 4), 0, new int[]{3, 3}, t[0].reshape(2, 4)), pair(dt, 43, 8));
        same("indexAdd native source to heap", dt, true,
                t -> t[0].backend().indexAdd(Shape.of(2, 4), 0, new int[]{1, 0, 1}, t[0]), pair(dt, 44, 3, 4));
        same("reshape chain", dt, true, t -> t[0].reshape(2, 6).reshape(12).reshape(4, 3), x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void castsAcrossTheThreshold(DType dt) {
        DType other = dt == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
        Pair x = pair(dt, 51, 3, 4);
        Pair s = pair(dt, 52, 2, 2);
        same("native cast", dt, true, t -> t[0].to(other), x);
        same("heap cast", dt, true, t -> t[0].to(other), s);
        same("native copy", dt, true, t -> t[0].copy(), x);
        // a cast copy of either kind is not written through by its source, nor the source by it
        for (Pair p : List.of(x, s)) {
            Tensor src = p.mixed();
            Tensor same = src.copy();
            Tensor cast = src.to(other);
            double[] before = src.toDoubleArray();
            src.fill(7);
            assertArrayEquals(before, same.toDoubleArray(), "copy after its source was filled");
            assertClose(before, cast.toDoubleArray(), 1e-6, 1e-6, "cast after its source was filled");
            same.fill(-1);
            assertEquals(7.0, src.toDoubleArray()[0], "the source after its copy was filled");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void inPlaceUpdatesAcrossTheThreshold(DType dt) {
        for (BinaryOp op : BinaryOp.values()) {
            boolean exact = op != BinaryOp.POW;
            same(op + "= heap row into native", dt, exact, t -> {
                Tensor target = t[0].copy();
                target.backend().binaryInPlace(op, target, t[1]);
                return target;
            }, pair(dt, 61, 3, 4), pair(dt, 62, 4));
            same(op + "= heap scalar into native", dt, exact, t -> {
                Tensor target = t[0].copy();
                target.backend().binaryInPlace(op, target, t[0].scalarLike(0.75));
                return target;
            }, pair(dt, 63, 3, 4));
            same(op + "= heap into heap", dt, exact, t -> {
                Tensor target = t[0].copy();
                target.backend().binaryInPlace(op, target, t[1]);
                return target;
            }, pair(dt, 64, 2, 3), pair(dt, 65, 1, 3));
        }
        same("addScaled heap row into native", dt, true, t -> t[0].copy().addInPlace(t[1], -0.3), pair(dt, 66, 3, 4), pair(dt, 67, 4));
        same("addScaled native into native", dt, true, t -> t[0].copy().addInPlace(t[1], 1.7), pair(dt, 68, 3, 4), pair(dt, 69, 3, 4));
        same("assign heap row into native", dt, true, t -> t[0].copy().assign(t[1]), pair(dt, 70, 3, 4), pair(dt, 71, 3, 1));
        same("fill native", dt, true, t -> t[0].copy().fill(2.5), pair(dt, 72, 3, 4));
        for (UnaryOp op : new UnaryOp[]{UnaryOp.NEG, UnaryOp.SQUARE, UnaryOp.TANH, UnaryOp.EXP, UnaryOp.ERF, UnaryOp.RELU}) {
            same(op + " in place on native", dt, false, t -> t[0].copy().unaryInPlace(op), pair(dt, 73, 3, 4));
            same(op + " in place on heap", dt, false, t -> t[0].copy().unaryInPlace(op), pair(dt, 74, 2, 2));
            same(op + " of native", dt, false, t -> t[0].unary(op), pair(dt, 75, 3, 4));
        }
    }

    @Test
    void inPlaceWritesAreCopiedOnWriteAndBumpVersionsOnBothSides() {
        for (int[] dims : new int[][]{{3, 4}, {2, 2}}) {
            Tensor x = MIXED.fromArray(Ref.values(Shape.of(dims).size(), 0.5, 0), dims);
            Tensor view = x.reshape(x.size());
            Tensor expanded = x.reshape(1, x.size()).expand(1, x.size());
            int v = x.version();
            x.addInPlace(x.onesLike());
            assertEquals(v + 1, x.version(), "version of " + x.shape());
            assertEquals(0, view.version());
            assertArrayEquals(Ref.values(x.size(), 0.5, 0), view.toDoubleArray(), "a reshape keeps the old values");
            assertArrayEquals(Ref.values(x.size(), 0.5, 0), expanded.toDoubleArray(), "an expand keeps the old values");
            view.mulInPlace(2.0);
            assertArrayEquals(Ref.values(x.size(), 0.5, 1), x.toDoubleArray(), "writing the reshape leaves its source");
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void fusedAdamOnNativeAndHeapTensorsMatchesTheComposedUpdateBitForBit(DType dt) {
        for (int n : new int[]{T, T + 1, 5000}) {
            Tensor p = MIXED.fromArray(Ref.random(n, 81), n).to(dt);
            Tensor m = p.zerosLike();
            Tensor v = p.zerosLike();
            Tensor pr = p.copy();
            Tensor mr = m.copy();
            Tensor vr = v.copy();
            assertEquals(n <= T, onHeap(p), "parameter of " + n + " on the heap?");
            FusedAdam fused = MIXED.capability(FusedAdam.class).orElseThrow();
            for (int step = 1; step <= 3; step++) {
                Tensor g = MIXED.fromArray(Ref.random(n, 90 + step), n).to(dt);
                // plain, then L2 weight decay, then decoupled (AdamW)
                AdamStep s = new AdamStep(step, 0.01, 0.9, 0.999, 1e-8, step == 1 ? 0 : 0.05, step == 3);
                fused.adamStep(p, g, m, v, null, s);
                FusedAdam.composed(pr, g, mr, vr, null, s);
            }
            assertArrayEquals(pr.toDoubleArray(), p.toDoubleArray(), dt + " param, n=" + n);
            assertArrayEquals(mr.toDoubleArray(), m.toDoubleArray(), dt + " expAvg, n=" + n);
            assertArrayEquals(vr.toDoubleArray(), v.toDoubleArray(), dt + " expAvgSq, n=" + n);
            assertNotEquals(0, p.version());
        }
    }

    @Test
    void theThresholdIsConfiguredByTheSystemProperty() {
        String old = System.getProperty(Nd4jBackend.HEAP_MAX_PROPERTY);
        try {
            System.setProperty(Nd4jBackend.HEAP_MAX_PROPERTY, "100");
            Nd4jBackend b = new Nd4jBackend();
            assertEquals(100, b.heapMax());
            assertTrue(onHeap(b.zeros(Shape.of(10, 10), DType.FLOAT32)));
            assertFalse(onHeap(b.zeros(Shape.of(101), DType.FLOAT32)));
            System.setProperty(Nd4jBackend.HEAP_MAX_PROPERTY, "0");
            Nd4jBackend none = new Nd4jBackend();
            assertTrue(onHeap(none.scalar(1, DType.FLOAT32)), "one element is always on the heap");
            assertTrue(onHeap(none.zeros(Shape.of(0, 3), DType.FLOAT32)), "so is an empty tensor");
            assertFalse(onHeap(none.zeros(Shape.of(2), DType.FLOAT32)));
            for (String bad : new String[]{"-1", "many", "1e3"}) {
                System.setProperty(Nd4jBackend.HEAP_MAX_PROPERTY, bad);
                IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        Nd4jBackend::new);
                assertTrue(e.getMessage().contains(Nd4jBackend.HEAP_MAX_PROPERTY) && e.getMessage().contains(bad), e.getMessage());
            }
            System.clearProperty(Nd4jBackend.HEAP_MAX_PROPERTY);
            assertEquals(Nd4jBackend.DEFAULT_HEAP_MAX, new Nd4jBackend().heapMax());
        } finally {
            if (old == null) {
                System.clearProperty(Nd4jBackend.HEAP_MAX_PROPERTY);
            } else {
                System.setProperty(Nd4jBackend.HEAP_MAX_PROPERTY, old);
            }
        }
    }
}
