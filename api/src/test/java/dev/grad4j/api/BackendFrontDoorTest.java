package dev.grad4j.api;

import dev.grad4j.api.conformance.ReferenceBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mockito.ArgumentCaptor;
import org.mockito.invocation.Invocation;

import java.util.List;

import static dev.grad4j.api.DType.FLOAT32;
import static dev.grad4j.api.DType.FLOAT64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.AdditionalMatchers.aryEq;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.same;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

/**
 * The contract between {@link Backend}'s validated front door and the kernels: what a kernel may
 * assume (one dtype, normalized and sorted axes, clipped slices, rank-3 matmul operands, in-place
 * operands of the target's rank and dtype), and that bad input never reaches a kernel. A spied
 * {@link ReferenceBackend} records the kernel calls.
 */
class BackendFrontDoorTest {

    private ReferenceBackend be;

    @BeforeEach
    void spyOnABackend() {
        be = spy(new ReferenceBackend());
    }

    private Tensor t(DType dt, int... shape) {
        return be.full(Shape.of(shape), 1.5, dt);
    }

    /** Runs {@code bad}, expects {@code type}, and checks that no kernel was called on the way. */
    private <T extends Throwable> void assertRejectedBeforeAnyKernel(Class<T> type, Executable bad) {
        clearInvocations(be);
        assertThrows(type, bad);
        for (Invocation i : mockingDetails(be).getInvocations()) {
            assertTrue(!i.getMethod().getName().endsWith("Kernel"), "a kernel ran on bad input: " + i);
        }
    }

    @Test
    void binaryKernelsSeeOneDtypeAndTheBroadcastShape() {
        Tensor a = t(FLOAT32, 3, 4);
        Tensor b = t(FLOAT64, 4);
        a.add(b);
        ArgumentCaptor<Tensor> left = ArgumentCaptor.forClass(Tensor.class);
        ArgumentCaptor<Tensor> right = ArgumentCaptor.forClass(Tensor.class);
        verify(be).binaryKernel(eq(BinaryOp.ADD), left.capture(), right.capture(), eq(Shape.of(3, 4)));
        assertEquals(FLOAT64, left.getValue().dtype());
        assertEquals(Shape.of(3, 4), left.getValue().shape());
        assertEquals(FLOAT64, right.getValue().dtype());
        assertEquals(Shape.of(4), right.getValue().shape(), "operands are not expanded before the kernel");

        a.lt(b);
        verify(be).compareKernel(eq(CompareOp.LT), left.capture(), right.capture(), eq(Shape.of(3, 4)));
        assertEquals(FLOAT64, left.getValue().dtype());
        assertEquals(FLOAT64, right.getValue().dtype());

        Tensor sameDtype = t(FLOAT32, 3, 1);
        a.mul(sameDtype);
        verify(be).binaryKernel(eq(BinaryOp.MUL), same(a), same(sameDtype), eq(Shape.of(3, 4)));
    }

    @Test
    void whereCastsTheConditionToTheValuesDtype() {
        Tensor c = t(FLOAT32, 3, 1);
        Tensor a = t(FLOAT64, 1, 4);
        Tensor b = t(FLOAT32);
        Tensor.where(c, a, b);
        ArgumentCaptor<Tensor> cond = ArgumentCaptor.forClass(Tensor.class);
        ArgumentCaptor<Tensor> x = ArgumentCaptor.forClass(Tensor.class);
        ArgumentCaptor<Tensor> y = ArgumentCaptor.forClass(Tensor.class);
        verify(be).whereKernel(cond.capture(), x.capture(), y.capture(), eq(Shape.of(3, 4)));
        assertEquals(FLOAT64, cond.getValue().dtype());
        assertEquals(FLOAT64, x.getValue().dtype());
        assertEquals(FLOAT64, y.getValue().dtype());
    }

    @Test
    void reduceKernelsSeeNormalizedSortedAxes() {
        Tensor x = t(FLOAT32, 2, 3, 4);
        x.sum(-1, 0);
        verify(be).reduceKernel(eq(ReduceOp.SUM), same(x), aryEq(new int[]{0, 2}), eq(false));
        x.max(new int[0], true);
        verify(be).reduceKernel(eq(ReduceOp.MAX), same(x), aryEq(new int[]{0, 1, 2}), eq(true));
        x.argmax(-1, true);
        verify(be).argReduceKernel(eq(true), same(x), eq(2), eq(true));
        x.argmin(-3, false);
        verify(be).argReduceKernel(eq(false), same(x), eq(0), eq(false));

        Tensor s = t(FLOAT64);
        clearInvocations(be);
        s.mean();
        verify(be, never()).reduceKernel(any(), any(), any(), anyBoolean());
        verify(be).castKernel(same(s), eq(FLOAT64));
    }

    @Test
    void matmulKernelSeesRank3OperandsOfOneBatch() {
        ArgumentCaptor<Tensor> a3 = ArgumentCaptor.forClass(Tensor.class);
        ArgumentCaptor<Tensor> b3 = ArgumentCaptor.forClass(Tensor.class);

        t(FLOAT32, 2, 1, 3, 4).matmul(t(FLOAT32, 5, 4, 6));
        verify(be).matmulKernel(a3.capture(), b3.capture(), eq(false), eq(false));
        assertEquals(Shape.of(10, 3, 4), a3.getValue().shape());
        assertEquals(Shape.of(10, 4, 6), b3.getValue().shape());

        clearInvocations(be);
        t(FLOAT32, 2, 3, 4).matmul(t(FLOAT64, 5, 4), false, true);
        verify(be).matmulKernel(a3.capture(), b3.capture(), eq(false), eq(true));
        assertEquals(Shape.of(1, 6, 4), a3.getValue().shape(), "a batch times a matrix folds into one product");
        assertEquals(Shape.of(1, 5, 4), b3.getValue().shape());
        assertEquals(FLOAT64, a3.getValue().dtype());
        assertEquals(FLOAT64, b3.getValue().dtype());

        clearInvocations(be);
        t(FLOAT64, 2, 4, 3).matmul(t(FLOAT64, 4, 5), true, false);
        verify(be).matmulKernel(a3.capture(), b3.capture(), eq(true), eq(false));
        assertEquals(Shape.of(2, 4, 3), a3.getValue().shape());
        assertEquals(Shape.of(2, 4, 5), b3.getValue().shape(), "the matrix is broadcast over the batch");

        clearInvocations(be);
        Tensor dot = t(FLOAT64, 4).matmul(t(FLOAT64, 4), true, true);
        verify(be).matmulKernel(a3.capture(), b3.capture(), eq(false), eq(false));
        assertEquals(Shape.of(1, 1, 4), a3.getValue().shape(), "flags are ignored for vectors");
        assertEquals(Shape.of(1, 4, 1), b3.getValue().shape());
        assertEquals(Shape.of(), dot.shape());
    }

    @Test
    void movementKernelsSeeResolvedArguments() {
        Tensor x = t(FLOAT32, 2, 3, 4);
        x.reshape(6, -1);
        verify(be).reshapeKernel(same(x), eq(Shape.of(6, 4)));
        x.permute(-1, 0, 1);
        verify(be).permuteKernel(same(x), aryEq(new int[]{2, 0, 1}));

        Tensor v = t(FLOAT32, 4);
        v.expand(2, 3, 4);
        ArgumentCaptor<Tensor> lifted = ArgumentCaptor.forClass(Tensor.class);
        verify(be).expandKernel(lifted.capture(), eq(Shape.of(2, 3, 4)));
        assertEquals(Shape.of(1, 1, 4), lifted.getValue().shape(), "expand lifts to the target's rank first");

        Tensor row = t(FLOAT64, 5);
        row.slice(0, -100, 100, 2);
        verify(be).sliceKernel(same(row), eq(0), eq(0), eq(5), eq(2));
        row.slice(-1, 4, 4);
        verify(be).sliceKernel(same(row), eq(0), eq(4), eq(4), eq(1));
        row.slice(0, -2, -1);
        verify(be).sliceKernel(same(row), eq(0), eq(3), eq(4), eq(1));

        row.indexSelect(-1, -1, 0, -5);
        verify(be).indexSelectKernel(same(row), eq(0), aryEq(new int[]{4, 0, 0}));
        be.indexAdd(Shape.of(5), 0, new int[]{-1, 1}, t(FLOAT32, 2));
        verify(be).indexAddKernel(eq(Shape.of(5)), eq(0), aryEq(new int[]{4, 1}), any());

        Tensor f = t(FLOAT32, 2, 3);
        Tensor d = t(FLOAT64, 1, 3);
        Tensor.concat(List.of(f, d), -2);
        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<Tensor>> parts = ArgumentCaptor.forClass(List.class);
        verify(be).concatKernel(parts.capture(), eq(0));
        for (Tensor p : parts.getValue()) {
            assertEquals(FLOAT64, p.dtype(), "concat casts every part to the promoted dtype");
        }
    }

    @Test
    void inPlaceKernelsSeeAnOperandOfTheTargetsRankAndDtype() {
        Tensor target = t(FLOAT32, 3, 4);
        Tensor other = t(FLOAT64, 4);
        ArgumentCaptor<Tensor> o = ArgumentCaptor.forClass(Tensor.class);

        target.addInPlace(other);
        verify(be).binaryInPlaceKernel(eq(BinaryOp.ADD), same(target), o.capture());
        assertEquals(FLOAT32, o.getValue().dtype());
        assertEquals(Shape.of(1, 4), o.getValue().shape());

        target.addInPlace(other, 0.5);
        verify(be).addScaledInPlaceKernel(same(target), o.capture(), eq(0.5));
        assertEquals(Shape.of(1, 4), o.getValue().shape());

        target.assign(t(FLOAT64));
        verify(be).assignKernel(same(target), o.capture());
        assertEquals(FLOAT32, o.getValue().dtype());
        assertEquals(Shape.of(1, 1), o.getValue().shape());

        Tensor twin = t(FLOAT32, 3, 4);
        target.mulInPlace(twin);
        verify(be).binaryInPlaceKernel(eq(BinaryOp.MUL), same(target), same(twin));
        assertEquals(4, target.version());
    }

    @Test
    void badInputNeverReachesAKernel() {
        Tensor a32 = t(FLOAT32, 2, 3);
        Tensor b64 = t(FLOAT64, 4, 5);
        Tensor c64 = t(FLOAT64, 3, 2, 3);
        Tensor batchA = t(FLOAT32, 2, 2, 3);
        Tensor batchB = t(FLOAT64, 3, 3, 1);
        Tensor empty = t(FLOAT32, 0);
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.add(b64));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.ge(b64));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> Tensor.where(a32, a32, b64));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.matmul(b64));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> batchA.matmul(batchB));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.reshape(4, 2));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.permute(0, 0));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.expand(3, 3));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.slice(0, 0, 1, 0));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.sum(2));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, empty::max);
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> Tensor.concat(List.of(a32, b64), 0));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> Tensor.stack(List.of(a32, a32, b64), 0));
        assertRejectedBeforeAnyKernel(IndexOutOfBoundsException.class, () -> a32.indexSelect(0, 2));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.addInPlace(c64));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> a32.assign(b64));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> be.fromArray(new double[5], 2, 3));
        assertRejectedBeforeAnyKernel(IllegalArgumentException.class, () -> be.fromNested(new double[][]{{1}, {2, 3}}));
        assertEquals(0, a32.version());
    }

    @Test
    void creationCopiesTheCallersArray() {
        double[] data = {1, 2, 3};
        be.fromArray(data);
        ArgumentCaptor<double[]> stored = ArgumentCaptor.forClass(double[].class);
        verify(be).fromDoubles(stored.capture(), eq(Shape.of(3)));
        assertTrue(stored.getValue() != data, "the kernel gets a private copy");
        assertArrayEquals(data, stored.getValue());
    }
}
