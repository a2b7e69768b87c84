package dev.jgrad.autograd;

import dev.jgrad.Tensor;

/**
 * Entry points of the backward pass: {@link #backward} accumulates into leaves' {@code .grad},
 * {@link #grad} returns gradients of chosen inputs (PyTorch's {@code torch.autograd.grad}).
 * <pre>{@code
 * Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, true, true, false);
 * Tensor[] gg = Autograd.grad(new Tensor[] {g[0].sum()}, new Tensor[] {x}); // second derivative
 * }</pre>
 */
public final class Autograd {
    private Autograd() {
    }

    /** Backpropagates from {@code tensors}; a null gradient is allowed only for a scalar tensor. */
    public static void backward(Tensor[] tensors, Tensor[] gradTensors, boolean retainGraph, boolean createGraph) {
        Engine.run(tensors, defaultGrads(tensors, gradTensors), retainGraph, createGraph, null);
    }

    /** Gradients of {@code outputs} with respect to {@code inputs}; nothing accumulates into {@code .grad}. */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph,
                                boolean createGraph, boolean allowUnused) {
        Tensor[] result = Engine.run(outputs, defaultGrads(outputs, gradOutputs), retainGraph, createGraph, inputs);
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null && !allowUnused) {
                throw new IllegalStateException("One of the differentiated Tensors appears to not have been used in the graph. "
                        + "Set allow_unused=True if this is the desired behavior.");
            }
        }
        return result;
    }

    /** {@link #grad} with default options: retainGraph = createGraph = true, allowUnused = false. */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs) {
        return grad(outputs, inputs, null, true, true, false);
    }

    /**
     * The backward nodes of {@code output}'s graph in the order {@code output.backward()} runs
     * them (AccumulateGrad nodes included), without running anything.
     */
    public static java.util.List<Node> backwardOrder(Tensor output) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException("the tensor does not require grad and has no grad_fn");
        }
        return Engine.order(output.gradEdge());
    }

    private static Tensor[] defaultGrads(Tensor[] outputs, Tensor[] given) {
        Tensor[] grads = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Tensor g = given == null ? null : given[i];
            if (g == null) {
                if (outputs[i].numel() != 1) {
                    throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
                }
                g = Tensor.onesLike(outputs[i]);
            }
            grads[i] = g;
        }
        return grads;
    }
}
