package dev.jgrad.autograd;

import dev.jgrad.Tensor;

/**
 * The derivative of one op: given the gradient of the output and the tensors the forward saved,
 * returns the gradient of each input (or null where an input needs none). Written with
 * differentiable tensor ops, so that {@code createGraph} gives second derivatives.
 * <pre>{@code
 * BackwardFn expBackward = (g, saved) -> new Tensor[] {g.mul(saved[0])};
 * }</pre>
 */
@FunctionalInterface
public interface BackwardFn {
    Tensor[] apply(Tensor gradOutput, Tensor[] saved);
}
