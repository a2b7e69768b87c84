package dev.jgrad.nn;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.Fusion;
import dev.jgrad.kernel.UnaryOp;
import dev.jgrad.ops.Activations;
import dev.jgrad.ops.LinearAlgebra;
import dev.jgrad.ops.Losses;
import dev.jgrad.ops.Pointwise;

/**
 * The functional API, as {@code torch.nn.functional}: activations, linear, dropout and losses.
 * Losses take {@code reduction} "mean" (default), "sum" or "none".
 * <pre>{@code
 * Tensor p = F.sigmoid(F.linear(x, w, b));
 * Tensor loss = F.binaryCrossEntropy(p, y);
 * }</pre>
 */
public final class F {
    private F() {
    }

    public static Tensor relu(Tensor x) {
        return Pointwise.relu(x);
    }

    public static Tensor sigmoid(Tensor x) {
        return Pointwise.sigmoid(x);
    }

    public static Tensor tanh(Tensor x) {
        return Pointwise.tanh(x);
    }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return Pointwise.leakyRelu(x, negativeSlope);
    }

    public static Tensor leakyRelu(Tensor x) {
        return leakyRelu(x, 0.01);
    }

    public static Tensor gelu(Tensor x) {
        return gelu(x, "none");
    }

    /** GELU, {@code approximate} "none" (exact) or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) {
        return Pointwise.gelu(x, approximate);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return Activations.softmax(x, dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return Activations.logSoftmax(x, dim);
    }

    /** x · wᵀ + b (b may be null): x [..., in], w [out, in] → [..., out]. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return LinearAlgebra.linear(x, w, b);
    }

    /**
     * Internal (Sequential): {@code activation.forward(linear.forward(x))} in one fused kernel
     * when {@code linear} is exactly a {@link Linear} with bias, {@code activation} exactly a
     * {@link ReLU} or {@link Sigmoid} (subclasses may override forward), x is 2-D and fusion is on;
     * the same values and graph as the two modules. Null when the pair does not qualify.
     */
    static Tensor fusedLinearActivation(Module linear, Module activation, Tensor x) {
        if (linear.getClass() != Linear.class || x.dim() != 2 || !Fusion.enabled()) {
            return null;
        }
        Class<?> act = activation.getClass();
        if (act != ReLU.class && act != Sigmoid.class) {
            return null;
        }
        Linear l = (Linear) linear;
        if (l.bias == null || !Fusion.pays(x.size(0), l.weight.size(0), l.weight.size(1))) {
            return null;
        }
        return LinearAlgebra.linearActivation(x, l.weight, l.bias, act == ReLU.class ? UnaryOp.RELU : UnaryOp.SIGMOID);
    }

    /** Dropout with the default generator; the identity when not training. */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return dropout(x, p, training, Jgrad.defaultGenerator());
    }

    public static Tensor dropout(Tensor x, double p, boolean training, Generator generator) {
        if (!training || p == 0) {
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
            }
            return x;
        }
        return Activations.dropout(x, p, generator);
    }

    // ------------------------------------------------------------------ losses

    /** Binary cross-entropy of probabilities {@code input} against {@code target} (same shape), mean over elements. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, "mean");
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, String reduction) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }

    /** Binary cross-entropy of logits, numerically stable. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, "mean");
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      String reduction) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, "mean");
    }

    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
        return Losses.mseLoss(input, target, reduction);
    }

    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, "mean");
    }

    public static Tensor l1Loss(Tensor input, Tensor target, String reduction) {
        return Losses.l1Loss(input, target, reduction);
    }

    /** Cross-entropy of logits [N, C] against int64 class indices [N]. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, -100, "mean", 0.0);
    }

    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction,
                                      double labelSmoothing) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** Negative log-likelihood of log-probabilities [N, C] at int64 class indices [N]. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, -100, "mean");
    }

    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }
}
