package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Returns its input unchanged; any shape.
 * <pre>{@code
 * Module m = new Identity();
 * Tensor y = m.forward(x); // same shape as x
 * }</pre>
 */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
