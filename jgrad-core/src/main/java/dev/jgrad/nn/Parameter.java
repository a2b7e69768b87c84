package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * A tensor that is a module's parameter: a leaf that requires grad by default and prints as
 * {@code Parameter containing:}, as {@code torch.nn.Parameter}.
 * <pre>{@code
 * Parameter w = new Parameter(Jgrad.zeros(3, 2));
 * w.requiresGrad(); // true
 * }</pre>
 */
public class Parameter extends Tensor {
    /** Wraps {@code data}'s storage as a parameter that requires grad. */
    public Parameter(Tensor data) {
        this(data, true);
    }

    public Parameter(Tensor data, boolean requiresGrad) {
        super(data.detach());
        requiresGrad_(requiresGrad);
    }

    /** The values without autograd history (PyTorch's {@code .data}). */
    public Tensor data() {
        return detach();
    }

    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
