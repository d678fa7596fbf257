package dev.grad4j.api;

import java.util.List;

/**
 * A backend for wiring tests only: it has a name and no kernels (every kernel throws), so tests of
 * backend selection can count instantiations without depending on a real backend.
 */
abstract class InertBackend extends Backend {

    private static UnsupportedOperationException inert() {
        return new UnsupportedOperationException("InertBackend runs no kernels");
    }

    @Override
    protected Tensor fromFloats(float[] data, Shape shape) {
        throw inert();
    }

    @Override
    protected Tensor fromDoubles(double[] data, Shape shape) {
        throw inert();
    }

    @Override
    protected Tensor fullKernel(Shape shape, double value, DType dtype) {
        throw inert();
    }

    @Override
    protected Tensor unaryKernel(UnaryOp op, Tensor x) {
        throw inert();
    }

    @Override
    protected Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        throw inert();
    }

    @Override
    protected Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out) {
        throw inert();
    }

    @Override
    protected Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out) {
        throw inert();
    }

    @Override
    protected Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        throw inert();
    }

    @Override
    protected Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims) {
        throw inert();
    }

    @Override
    protected Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        throw inert();
    }

    @Override
    protected Tensor reshapeKernel(Tensor x, Shape shape) {
        throw inert();
    }

    @Override
    protected Tensor permuteKernel(Tensor x, int[] perm) {
        throw inert();
    }

    @Override
    protected Tensor expandKernel(Tensor x, Shape target) {
        throw inert();
    }

    @Override
    protected Tensor sliceKernel(Tensor x, int axis, int start, int end, int step) {
        throw inert();
    }

    @Override
    protected Tensor concatKernel(List<Tensor> tensors, int axis) {
        throw inert();
    }

    @Override
    protected Tensor indexSelectKernel(Tensor x, int axis, int[] indices) {
        throw inert();
    }

    @Override
    protected Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source) {
        throw inert();
    }

    @Override
    protected Tensor castKernel(Tensor x, DType dtype) {
        throw inert();
    }

    @Override
    protected void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other) {
        throw inert();
    }

    @Override
    protected void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha) {
        throw inert();
    }

    @Override
    protected void unaryInPlaceKernel(UnaryOp op, Tensor target) {
        throw inert();
    }

    @Override
    protected void assignKernel(Tensor target, Tensor source) {
        throw inert();
    }

    @Override
    protected void fillKernel(Tensor target, double value) {
        throw inert();
    }

    @Override
    protected float[] toFloatArrayKernel(Tensor x) {
        throw inert();
    }

    @Override
    protected double[] toDoubleArrayKernel(Tensor x) {
        throw inert();
    }
}
