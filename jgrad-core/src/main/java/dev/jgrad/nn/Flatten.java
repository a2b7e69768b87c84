package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Flattens dimensions startDim..endDim into one (default 1..−1: [N, ...] → [N, prod]).
 * <pre>{@code
 * Module m = new Flatten();
 * Tensor y = m.forward(images); // [N, 28, 28] -> [N, 784]
 * }</pre>
 */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    public String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
