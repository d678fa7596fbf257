package dev.grad4j.autograd.ops;

import java.util.ArrayList;
import java.util.List;

import dev.grad4j.api.Tensor;
import dev.grad4j.autograd.Node;
import dev.grad4j.autograd.SavedVariable;
import dev.grad4j.autograd.Variable;

/** {@code y = concat(x₀, x₁, ...)} along an axis; {@code dxᵢ} is {@code dy}'s slice where {@code xᵢ} was placed. */
public final class Concat extends Node {

    private final int axis;
    private final int[] offsets;

    private Concat(Variable[] parts, int axis, int[] offsets) {
        super(parts);
        this.axis = axis;
        this.offsets = offsets;
    }

    public static Variable apply(List<Variable> parts, int axis) {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one variable");
        }
        List<Tensor> ts = new ArrayList<>(parts.size());
        for (Variable p : parts) {
            ts.add(p.data());
        }
        Tensor y = Tensor.concat(ts, axis);
        Variable[] arr = parts.toArray(new Variable[0]);
        if (!isRecording(arr)) {
            return constant(y);
        }
        int a = parts.get(0).shape().normalizeAxis(axis);
        int[] offsets = new int[arr.length + 1];
        for (int i = 0; i < arr.length; i++) {
            offsets[i + 1] = offsets[i] + arr[i].shape().dim(a);
        }
        return new Concat(arr, a, offsets).output(y);
    }

    @Override
    protected Variable[] backward(Variable g) {
        Variable[] out = new Variable[inputCount()];
        for (int i = 0; i < out.length; i++) {
            if (needsInputGrad(i)) {
                out[i] = g.slice(axis, offsets[i], offsets[i + 1]);
            }
        }
        return out;
    }
}
