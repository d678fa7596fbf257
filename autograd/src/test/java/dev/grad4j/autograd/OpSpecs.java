package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.ops.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * OpInfo-style specs: for each differentiable op, a function that exercises it and sample inputs
 * within its domain. {@link OpSpecTest} runs every check on every spec and backend;
 * {@link OpCoverageTest} fails if an op class in {@code dev.grad4j.autograd.ops} has no spec.
 */
final class OpSpecs {

    private OpSpecs() {
    }

    /** One sample input: shape, uniform range, whether it requires grad. */
    record In(int[] shape, double lo, double hi, boolean requiresGrad) {
        static In of(double lo, double hi, int... shape) {
            return new In(shape, lo, hi, true);
        }

        static In constant(double lo, double hi, int... shape) {
            return new In(shape, lo, hi, false);
        }
    }

    record Spec(String name, Set<Class<? extends Node>> covers, Function<Variable[], Variable> fn, List<In> inputs,
                GradCheck.Options options) {
        @Override
        public String toString() {
            return name;
        }

        /** Fresh inputs of {@code dtype} on {@code backend}, the same numbers for every dtype and backend. */
        Variable[] sample(Backend backend, DType dtype) {
            Random rnd = new Random(name.hashCode());
            Variable[] xs = new Variable[inputs.size()];
            for (int i = 0; i < xs.length; i++) {
                In in = inputs.get(i);
                double[] v = new double[Shape.of(in.shape()).size()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.lo() + (in.hi() - in.lo()) * rnd.nextDouble();
                }
                Tensor t = backend.fromArray(v, Shape.of(in.shape())).to(dtype);
                xs[i] = Variable.of(t, in.requiresGrad());
            }
            return xs;
        }
    }

    private static final GradCheck.Options DEFAULT = GradCheck.Options.DEFAULT;

    static final List<Spec> ALL = build();

    private static Spec spec(String name, Set<Class<? extends Node>> covers, Function<Variable[], Variable> fn, In... in) {
        return new Spec(name, covers, fn, List.of(in), DEFAULT);
    }

    private static List<Spec> build() {
        List<Spec> s = new ArrayList<>();
        // ---- elementwise binary (with broadcasting)
        s.add(spec("add", Set.of(Add.class), v -> v[0].add(v[1]), In.of(-2, 2, 3, 4), In.of(-2, 2, 3, 1)));
        s.add(spec("add_scalar", Set.of(Add.class), v -> v[0].add(1.5), In.of(-2, 2, 2, 3)));
        s.add(spec("sub", Set.of(Sub.class), v -> v[0].sub(v[1]), In.of(-2, 2, 2, 3, 4), In.of(-2, 2, 4)));
        s.add(spec("mul", Set.of(Mul.class), v -> v[0].mul(v[1]), In.of(-2, 2, 3, 4), In.of(-2, 2, 1, 4)));
        s.add(spec("mul_scalar_tensor", Set.of(Mul.class), v -> v[0].mul(v[1]), In.of(-2, 2), In.of(-2, 2, 3, 2)));
        s.add(spec("div", Set.of(Div.class), v -> v[0].div(v[1]), In.of(-2, 2, 3, 4), In.of(0.5, 2, 3, 1)));
        s.add(spec("pow", Set.of(Pow.class), v -> v[0].pow(v[1]), In.of(0.5, 2, 3, 4), In.of(-1.5, 2, 4)));
        s.add(spec("pow_scalar", Set.of(PowScalar.class), v -> v[0].pow(2.5), In.of(0.5, 2, 3, 4)));
        s.add(spec("pow_scalar_int", Set.of(PowScalar.class), v -> v[0].pow(3), In.of(-2, 2, 3, 4)));
        s.add(spec("maximum", Set.of(Maximum.class), v -> v[0].maximum(v[1]), In.of(-2, 2, 3, 4), In.of(-2, 2, 4)));
        s.add(spec("maximum_scalar", Set.of(Maximum.class), v -> v[0].maximum(0.3), In.of(-2, 2, 3, 4)));
        s.add(spec("minimum_scalar", Set.of(Minimum.class), v -> v[0].minimum(-0.2), In.of(-2, 2, 3, 4)));
        s.add(spec("minimum", Set.of(Minimum.class), v -> v[0].minimum(v[1]), In.of(-2, 2, 3, 4), In.of(-2, 2, 3, 1)));
        s.add(spec("where", Set.of(Where.class),
                v -> Variable.where(v[0].data().gt(0.0), v[1], v[2]),
                In.constant(-1, 1, 3, 4), In.of(-2, 2, 3, 4), In.of(-2, 2, 4)));
        // ---- unary
        s.add(spec("neg", Set.of(Neg.class), v -> v[0].neg(), In.of(-2, 2, 3, 4)));
        s.add(spec("exp", Set.of(Exp.class), v -> v[0].exp(), In.of(-2, 2, 3, 4)));
        s.add(spec("log", Set.of(Log.class), v -> v[0].log(), In.of(0.3, 3, 3, 4)));
        s.add(spec("sqrt", Set.of(Sqrt.class), v -> v[0].sqrt(), In.of(0.3, 3, 3, 4)));
        s.add(spec("abs", Set.of(Abs.class), v -> v[0].abs(), In.of(-2, 2, 3, 4)));
        s.add(spec("tanh", Set.of(Tanh.class), v -> v[0].tanh(), In.of(-2, 2, 3, 4)));
        s.add(spec("sigmoid", Set.of(Sigmoid.class), v -> v[0].sigmoid(), In.of(-3, 3, 3, 4)));
        s.add(spec("relu", Set.of(Relu.class), v -> v[0].relu(), In.of(-2, 2, 3, 4)));
        s.add(spec("leaky_relu", Set.of(LeakyRelu.class), v -> v[0].leakyRelu(0.1), In.of(-2, 2, 3, 4)));
        s.add(spec("gelu", Set.of(Gelu.class), v -> v[0].gelu(), In.of(-3, 3, 3, 4)));
        s.add(spec("erf", Set.of(Erf.class), v -> v[0].erf(), In.of(-2, 2, 3, 4)));
        s.add(spec("softplus", Set.of(Softplus.class), v -> v[0].softplus(), In.of(-4, 4, 3, 4)));
        s.add(spec("sin", Set.of(Sin.class), v -> v[0].sin(), In.of(-3, 3, 3, 4)));
        s.add(spec("cos", Set.of(Cos.class), v -> v[0].cos(), In.of(-3, 3, 3, 4)));
        s.add(spec("clamp", Set.of(Clamp.class), v -> v[0].clamp(-0.5, 0.7), In.of(-2, 2, 3, 4)));
        s.add(spec("clamp_min", Set.of(Clamp.class), v -> v[0].clampMin(-0.5), In.of(-2, 2, 3, 4)));
        s.add(spec("clamp_max", Set.of(Clamp.class), v -> v[0].clampMax(0.7), In.of(-2, 2, 3, 4)));
        s.add(spec("square", Set.of(Square.class), v -> v[0].square(), In.of(-2, 2, 3, 4)));
        s.add(spec("log1p", Set.of(Log1p.class), v -> v[0].log1p(), In.of(-0.7, 3, 3, 4)));
        s.add(spec("reciprocal", Set.of(Reciprocal.class), v -> v[0].reciprocal(), In.of(0.4, 2.5, 3, 4)));
        s.add(spec("reciprocal_negative", Set.of(Reciprocal.class), v -> v[0].reciprocal(), In.of(-2.5, -0.4, 2, 3)));
        // sign is flat: its gradient is zero, and a product with it keeps the other factor's gradient
        s.add(spec("sign", Set.of(Sign.class), v -> v[0].sign().mul(v[1]), In.of(-2, 2, 3, 4), In.of(-2, 2, 3, 4)));
        // float32 round trip: linear, so a large eps is exact and float32 rounding stays below atol
        s.add(new Spec("cast", Set.of(Cast.class),
                v -> v[0].to(v[0].dtype() == DType.FLOAT64 ? DType.FLOAT32 : DType.FLOAT64).to(v[0].dtype()),
                List.of(In.of(-2, 2, 3, 4)), new GradCheck.Options(1e-2, 1e-5, 1e-3, 400, 6, 0)));
        // ---- matmul
        s.add(spec("matmul", Set.of(MatMul.class), v -> v[0].matmul(v[1]), In.of(-1, 1, 3, 4), In.of(-1, 1, 4, 5)));
        s.add(spec("matmul_batched_2d", Set.of(MatMul.class), v -> v[0].matmul(v[1]),
                In.of(-1, 1, 2, 3, 4), In.of(-1, 1, 4, 5)));
        s.add(spec("matmul_broadcast", Set.of(MatMul.class), v -> v[0].matmul(v[1]),
                In.of(-1, 1, 3, 4), In.of(-1, 1, 2, 4, 2)));
        s.add(spec("matmul_ta", Set.of(MatMul.class), v -> v[0].matmul(v[1], true, false),
                In.of(-1, 1, 4, 3), In.of(-1, 1, 4, 2)));
        s.add(spec("matmul_tb", Set.of(MatMul.class), v -> v[0].matmul(v[1], false, true),
                In.of(-1, 1, 2, 3, 4), In.of(-1, 1, 5, 4)));
        s.add(spec("matmul_ta_tb", Set.of(MatMul.class), v -> v[0].matmul(v[1], true, true),
                In.of(-1, 1, 2, 4, 3), In.of(-1, 1, 2, 5, 4)));
        // vector @ matrix, vector @ vector, matrix @ vector
        s.add(spec("matmul_vectors", Set.of(MatMul.class),
                v -> v[0].matmul(v[1]).matmul(v[2]).add(v[0].matmul(v[1].matmul(v[2]))),
                In.of(-1, 1, 4), In.of(-1, 1, 4, 3), In.of(-1, 1, 3)));
        // ---- reductions
        s.add(spec("sum_all", Set.of(Sum.class), v -> v[0].sum(), In.of(-2, 2, 2, 3, 4)));
        s.add(spec("sum_axes_keep", Set.of(Sum.class), v -> v[0].sum(new int[]{0, 2}, true), In.of(-2, 2, 2, 3, 4)));
        s.add(spec("sum_axis", Set.of(Sum.class), v -> v[0].sum(-1), In.of(-2, 2, 2, 3, 4)));
        s.add(spec("mean", Set.of(Mean.class), v -> v[0].mean(1), In.of(-2, 2, 2, 3, 4)));
        s.add(spec("mean_all", Set.of(Mean.class), v -> v[0].mean(), In.of(-2, 2, 3, 4)));
        s.add(spec("max", Set.of(Max.class), v -> v[0].max(new int[]{1}, true), In.of(-2, 2, 2, 3, 4)));
        s.add(spec("max_all", Set.of(Max.class), v -> v[0].max(), In.of(-2, 2, 3, 4)));
        s.add(spec("min", Set.of(Min.class), v -> v[0].min(0, 2), In.of(-2, 2, 2, 3, 4)));
        s.add(spec("var", Set.of(Var.class), v -> v[0].var(1), In.of(-2, 2, 3, 4)));
        s.add(spec("var_all_biased", Set.of(Var.class), v -> v[0].var(new int[0], 0, false), In.of(-2, 2, 3, 4)));
        s.add(spec("std", Set.of(Var.class, Sqrt.class), v -> v[0].std(0), In.of(-2, 2, 3, 4)));
        s.add(spec("softmax", Set.of(Softmax.class), v -> v[0].softmax(1), In.of(-2, 2, 3, 5)));
        s.add(spec("log_softmax", Set.of(LogSoftmax.class), v -> v[0].logSoftmax(-1), In.of(-2, 2, 3, 5)));
        s.add(spec("logsumexp", Set.of(LogSumExp.class), v -> v[0].logSumExp(0, false), In.of(-2, 2, 3, 5)));
        s.add(spec("logsumexp_keep", Set.of(LogSumExp.class), v -> v[0].logSumExp(1, true), In.of(-2, 2, 3, 5)));
        // ---- movement
        s.add(spec("reshape", Set.of(Reshape.class), v -> v[0].reshape(4, -1), In.of(-2, 2, 2, 3, 4)));
        s.add(spec("squeeze_unsqueeze", Set.of(Reshape.class), v -> v[0].squeeze(1).unsqueeze(0), In.of(-2, 2, 3, 1, 2)));
        s.add(spec("permute", Set.of(Permute.class), v -> v[0].permute(2, 0, 1), In.of(-2, 2, 2, 3, 4)));
        s.add(spec("transpose", Set.of(Permute.class), v -> v[0].transpose(0, 1), In.of(-2, 2, 3, 4)));
        s.add(spec("expand", Set.of(Expand.class), v -> v[0].expand(2, 3, 4), In.of(-2, 2, 3, 1)));
        s.add(spec("sum_to", Set.of(SumTo.class), v -> v[0].sumTo(Shape.of(3, 1)), In.of(-2, 2, 2, 3, 4)));
        s.add(spec("slice", Set.of(Slice.class), v -> v[0].slice(1, 1, 4), In.of(-2, 2, 3, 5)));
        s.add(spec("slice_step_negative", Set.of(Slice.class), v -> v[0].slice(0, -4, 5, 2), In.of(-2, 2, 5, 2)));
        s.add(spec("index", Set.of(Slice.class, Reshape.class), v -> v[0].index(0, -1), In.of(-2, 2, 3, 4)));
        s.add(spec("index_select", Set.of(IndexSelect.class), v -> v[0].indexSelect(0, 2, 0, 2, 1), In.of(-2, 2, 3, 4)));
        s.add(spec("index_add", Set.of(IndexAdd.class), v -> v[0].indexAddInto(Shape.of(4, 3), 0, 3, 1, 3),
                In.of(-2, 2, 3, 3)));
        s.add(spec("concat", Set.of(Concat.class), v -> Variable.concat(List.of(v[0], v[1]), 1),
                In.of(-2, 2, 2, 3), In.of(-2, 2, 2, 2)));
        s.add(spec("stack", Set.of(Concat.class, Reshape.class), v -> Variable.stack(List.of(v[0], v[1]), 1),
                In.of(-2, 2, 2, 3), In.of(-2, 2, 2, 3)));
        return List.copyOf(s);
    }
}
