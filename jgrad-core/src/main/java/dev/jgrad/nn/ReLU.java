package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Rectified linear unit, max(0, x), element-wise; any shape.
 * <pre>{@code
 * Module m = new ReLU();
 * Tensor y = m.forward(x); // same shape as x
 * }</pre>
 */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input);
    }
}
