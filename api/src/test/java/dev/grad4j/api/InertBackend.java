package dev.grad4j.api;

import dev.grad4j.api.spi.Kernels;

import java.util.List;

/**
 * A backend for wiring tests only: it has a name and no kernels (every kernel throws), so tests of
 * backend selection can count instantiations without depending on a real backend.
 */
abstract class InertBackend extends Backend implements Kernels {

    private static UnsupportedOperationException inert() {
        return new UnsupportedOperationException("InertBackend runs no kernels");
    }

    @Override
    public Tensor fromFloats(float[] data, Shape shape) {
        throw inert();
    }

    @Override
    public Tensor fromDoubles(double[] data, Shape shape) {
        throw inert();
    }

    @Override
    public Tensor fullKernel(Shape shape, double value, DType dtype) {
        throw inert();
    }

    @Override
    public Tensor unaryKernel(UnaryOp op, Tensor x) {
        throw inert();
    }

    @Override
    public Tensor binaryKernel(BinaryOp op, Tensor a, Tensor b, Shape out) {
        throw inert();
    }

    @Override
    public Tensor compareKernel(CompareOp op, Tensor a, Tensor b, Shape out) {
        throw inert();
    }

    @Override
    public Tensor whereKernel(Tensor condition, Tensor a, Tensor b, Shape out) {
        throw inert();
    }

    @Override
    public Tensor reduceKernel(ReduceOp op, Tensor x, int[] axes, boolean keepDims) {
        throw inert();
    }

    @Override
    public Tensor argReduceKernel(boolean max, Tensor x, int axis, boolean keepDims) {
        throw inert();
    }

    @Override
    public Tensor matmulKernel(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        throw inert();
    }

    @Override
    public Tensor reshapeKernel(Tensor x, Shape shape) {
        throw inert();
    }

    @Override
    public Tensor permuteKernel(Tensor x, int[] perm) {
        throw inert();
    }

    @Override
    public Tensor expandKernel(Tensor x, Shape target) {
        throw inert();
    }

    @Override
    public Tensor sliceKernel(Tensor x, int axis, int start, int end, int step) {
        throw inert();
    }

    @Override
    public Tensor concatKernel(List<Tensor> tensors, int axis) {
        throw inert();
    }

    @Override
    public Tensor indexSelectKernel(Tensor x, int axis, int[] indices) {
        throw inert();
    }

    @Override
    public Tensor indexAddKernel(Shape shape, int axis, int[] indices, Tensor source) {
        throw inert();
    }

    @Override
    public Tensor castKernel(Tensor x, DType dtype) {
        throw inert();
    }

    @Override
    public void binaryInPlaceKernel(BinaryOp op, Tensor target, Tensor other) {
        throw inert();
    }

    @Override
    public void addScaledInPlaceKernel(Tensor target, Tensor other, double alpha) {
        throw inert();
    }

    @Override
    public void unaryInPlaceKernel(UnaryOp op, Tensor target) {
        throw inert();
    }

    @Override
    public void assignKernel(Tensor target, Tensor source) {
        throw inert();
    }

    @Override
    public void fillKernel(Tensor target, double value) {
        throw inert();
    }

    @Override
    public float[] toFloatArrayKernel(Tensor x) {
        throw inert();
    }

    @Override
    public double[] toDoubleArrayKernel(Tensor x) {
        throw inert();
    }
}
