package dev.grad4j.bench;

import dev.grad4j.autograd.Variable;
import dev.grad4j.nn.Embedding;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.LayerNorm;
import dev.grad4j.nn.Linear;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;

/**
 * W8's model, as {@code torch_reference.py} writes it: a causal transformer language model with
 * learned token and position embeddings, pre-LayerNorm blocks (attention written out with batched
 * matmuls, a causal mask and softmax; an MLP with exact GELU), a final LayerNorm and a linear head.
 * A user's own layer: it registers its children and writes its forward.
 */
final class TinyTransformer extends Layer {

    /** One pre-LayerNorm block. */
    static final class Block extends Layer {
        private final int heads;
        private final LayerNorm ln1;
        private final LayerNorm ln2;
        private final Linear qkv;
        private final Linear proj;
        private final Linear fc1;
        private final Linear fc2;
        private final Variable mask;

        Block(int d, int heads, Variable mask) {
            this.heads = heads;
            this.mask = mask;
            ln1 = registerLayer("ln1", layerNorm(d));
            ln2 = registerLayer("ln2", layerNorm(d));
            qkv = registerLayer("qkv", linear(d, 3 * d));
            proj = registerLayer("proj", linear(d, d));
            fc1 = registerLayer("fc1", linear(d, 4 * d));
            fc2 = registerLayer("fc2", linear(4 * d, d));
        }

        @Override
        public Variable forward(Variable x) {
            int b = x.shape().dim(0);
            int t = x.shape().dim(1);
            int d = x.shape().dim(2);
            int dh = d / heads;
            Variable h = qkv.apply(ln1.apply(x));
            Variable q = h.slice(2, 0, d).reshape(b, t, heads, dh).permute(0, 2, 1, 3);
            Variable k = h.slice(2, d, 2 * d).reshape(b, t, heads, dh).permute(0, 2, 1, 3);
            Variable v = h.slice(2, 2 * d, 3 * d).reshape(b, t, heads, dh).permute(0, 2, 1, 3);
            Variable att = q.matmul(k, false, true).mul(1 / Math.sqrt(dh)).add(mask).softmax(-1);
            Variable o = att.matmul(v).permute(0, 2, 1, 3).reshape(b, t, d);
            x = x.add(proj.apply(o));
            return x.add(fc2.apply(fc1.apply(ln2.apply(x)).gelu()));
        }
    }

    private final Embedding tok;
    private final Embedding pos;
    private final Block[] blocks;
    private final LayerNorm ln;
    private final Linear head;
    private final Variable positions;

    TinyTransformer(int vocab, int context, int d, int heads, int layers) {
        tok = registerLayer("tok", embedding(vocab, d));
        pos = registerLayer("pos", embedding(context, d));
        // 0 on and below the diagonal, -Inf above: position i attends to positions 0..i
        Variable above = arange(context).unsqueeze(1).lt(arange(context));
        Variable mask = Variable.where(above, full(Double.NEGATIVE_INFINITY, context, context), zeros(context, context));
        blocks = new Block[layers];
        for (int i = 0; i < layers; i++) {
            blocks[i] = registerLayer(Integer.toString(i), new Block(d, heads, mask));
        }
        ln = registerLayer("ln", layerNorm(d));
        head = registerLayer("head", linear(d, vocab));
        positions = arange(context);
    }

    @Override
    public Variable forward(Variable idx) {
        Variable x = tok.apply(idx).add(pos.apply(positions));
        for (Block b : blocks) {
            x = b.apply(x);
        }
        return head.apply(ln.apply(x));
    }
}
