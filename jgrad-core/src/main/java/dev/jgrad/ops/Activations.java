package dev.jgrad.ops;

import static dev.jgrad.autograd.Graph.grads;
import static dev.jgrad.autograd.Graph.inputs;
import static dev.jgrad.autograd.Graph.record;
import static dev.jgrad.autograd.Graph.saved;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.Derivative;
import dev.jgrad.hand.HandStep;
import dev.jgrad.hand.NdArray;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.storage.Shapes;

/**
 * softmax and log_softmax over one dimension, as fused ops with PyTorch's backward formulas;
 * tested against their composition from exp, sum and logsumexp.
 */
public final class Activations {
    private Activations() {
    }

    /** Dropout y = x ⊙ m, m = mask / (1 − p): the kept elements' gradients are scaled as their values were. */
    private static final Derivative DROPOUT = Derivative.of("y = x ⊙ m, m = mask / (1 − p): ∂J/∂x = G ⊙ m",
            "y = x \\odot m,\\ m = \\frac{\\mathrm{mask}}{1-p}:\\quad \\frac{\\partial J}{\\partial x} = G \\odot m").inputs("x")
            .hand((g, s) -> new HandStep[] {HandStep.of(0, g.mul(s[0])).expression("G ⊙ m", "G \\odot m").operand("m", "m", s[0]).build()});

    private static Tensor requireFloating(Tensor x, String op) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + op + "_lastdim_kernel_impl\" not implemented for '" + x.dtype().scalarTypeName() + "'");
        }
        return x;
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        Tensor xf = requireFloating(x, "log_softmax");
        int d = Shapes.wrapDim(dim, xf.dim());
        boolean[] f = new boolean[xf.dim()];
        if (xf.dim() > 0) {
            f[d] = true;
        }
        // (x − max) − log Σ exp(x − max), as PyTorch: subtracting a rounded logsumexp from x
        // loses precision when |x| is large
        Tensor max = Kernels.maxMin(xf.detach(), xf.dim() == 0 ? 0 : d, true, true)[0];
        Tensor shifted = Kernels.binary(dev.jgrad.kernel.BinaryOp.SUB, xf.detach(), max, xf.dtype());
        Tensor lse = Kernels.logsumexp(shifted, f, true);
        Tensor y = Kernels.binary(dev.jgrad.kernel.BinaryOp.SUB, shifted, lse, xf.dtype());
        return record(y, "LogSoftmaxBackward0", Derivative.of("y = log softmax(x): ∂J/∂x = G − softmax(x)·Σⱼ Gⱼ (sum along dim " + d + ")",
                        "y = \\log\\mathrm{softmax}(x):\\quad \\frac{\\partial J}{\\partial x} = G - \\mathrm{softmax}(x) \\textstyle\\sum_j G_j")
                        .inputs("x").hand((g, s) -> {
                            NdArray p = s[0].map(Math::exp);
                            NdArray total = g.sumKeep(d);
                            return new HandStep[] {HandStep.of(0, g.sub(p.mul(total))).expression("G − softmax(x) ⊙ Σⱼ Gⱼ",
                                    "G - \\mathrm{softmax}(x) \\odot \\textstyle\\sum_j G_j")
                                    .operand("softmax(x) = exp(y)", "\\mathrm{softmax}(x) = e^{y}", p)
                                    .operand("Σⱼ Gⱼ", "\\sum_j G_j", total).build()};
                        }),
                inputs(x), saved(y),
                (g, s) -> grads(g.sub(s[0].exp().mul(g.sum(new int[] {d}, true)))));
    }

    public static Tensor softmax(Tensor x, int dim) {
        Tensor xf = requireFloating(x, "softmax");
        int d = Shapes.wrapDim(dim, xf.dim());
        boolean[] f = new boolean[xf.dim()];
        if (xf.dim() > 0) {
            f[d] = true;
        }
        Tensor detached = xf.detach();
        Tensor max = Kernels.maxMin(detached, xf.dim() == 0 ? 0 : d, true, true)[0];
        Tensor e = Kernels.unary(dev.jgrad.kernel.UnaryOp.EXP, Kernels.binary(dev.jgrad.kernel.BinaryOp.SUB, detached, max, xf.dtype()));
        Tensor sum = Kernels.sum(e, f, true, false, xf.dtype());
        Tensor y = Kernels.binary(dev.jgrad.kernel.BinaryOp.DIV, e, sum, xf.dtype());
        return record(y, "SoftmaxBackward0", Derivative.of("y = softmax(x): ∂J/∂x = y ⊙ (G − Σⱼ Gⱼyⱼ) (sum along dim " + d + ")",
                        "y = \\mathrm{softmax}(x):\\quad \\frac{\\partial J}{\\partial x} = y \\odot \\left(G - \\textstyle\\sum_j G_j y_j\\right)")
                        .inputs("x").hand((g, s) -> {
                            NdArray total = g.mul(s[0]).sumKeep(d);
                            return new HandStep[] {HandStep.of(0, s[0].mul(g.sub(total))).expression("y ⊙ (G − Σⱼ Gⱼyⱼ)",
                                    "y \\odot (G - \\textstyle\\sum_j G_j y_j)").operand("y", "y", s[0])
                                    .operand("Σⱼ Gⱼyⱼ", "\\sum_j G_j y_j", total).build()};
                        }),
                inputs(x), saved(y),
                (g, s) -> grads(s[0].mul(g.sub(g.mul(s[0]).sum(new int[] {d}, true)))));
    }

    /**
     * Zeroes each element with probability p and scales the rest by 1/(1−p); the same mask
     * scales the gradient. The mask and the generator's advance are PyTorch 1.13's without MKL
     * (bernoulli_(1 − p), see {@link dev.jgrad.Generator}); the scale is divided in x's dtype as
     * PyTorch's {@code noise.div_(1 - p)}.
     */
    public static Tensor dropout(Tensor x, double p, dev.jgrad.Generator gen) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        // keep = bernoulli_(1 − p), drawn as PyTorch without MKL does (see Generator); p = 1 draws nothing
        Tensor keep = Tensor.empty(dev.jgrad.DType.BOOL, x.shape());
        if (p < 1) {
            gen.fillBernoulli(keep, 1.0 - p);
        }
        double scale = p == 1 ? 0.0 : x.dtype() == dev.jgrad.DType.FLOAT32 ? 1.0f / (float) (1.0 - p) : 1.0 / (1.0 - p);
        Tensor mask = Kernels.where(keep, Tensor.scalar(scale, x.dtype()), Tensor.scalar(0.0, x.dtype()), x.dtype());
        Tensor y = Kernels.binary(dev.jgrad.kernel.BinaryOp.MUL, x, mask, x.dtype());
        // on the CPU PyTorch 1.13's dropout is x * mask (native_dropout is only used on CUDA): MulBackward0
        return record(y, "MulBackward0", DROPOUT, inputs(x), saved(mask),
                (g, s) -> grads(g.mul(s[0])));
    }
}
