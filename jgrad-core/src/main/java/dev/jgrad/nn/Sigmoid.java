package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Logistic sigmoid 1/(1 + e^(−x)), element-wise; any shape.
 * <pre>{@code
 * Module m = new Sigmoid();
 * Tensor y = m.forward(x); // same shape as x
 * }</pre>
 */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.sigmoid(input);
    }
}
