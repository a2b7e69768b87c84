package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * x − log Σ exp(x) along dimension {@code dim}; output has the input's shape.
 * <pre>{@code
 * Module m = new LogSoftmax(1);
 * Tensor p = m.forward(logits); // [N, C] -> [N, C]
 * }</pre>
 */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    public int dim() {
        return dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logSoftmax(input, dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
