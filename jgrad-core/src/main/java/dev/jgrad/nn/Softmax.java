package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * exp(x) / Σ exp(x) along dimension {@code dim}; output has the input's shape.
 * <pre>{@code
 * Module m = new Softmax(1);
 * Tensor p = m.forward(logits); // [N, C] -> [N, C]
 * }</pre>
 */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softmax(input, dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
