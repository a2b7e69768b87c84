package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Hyperbolic tangent, element-wise; any shape.
 * <pre>{@code
 * Module m = new Tanh();
 * Tensor y = m.forward(x); // same shape as x
 * }</pre>
 */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.tanh(input);
    }
}
