package dev.jgrad.ops;

import static dev.jgrad.autograd.Graph.grads;
import static dev.jgrad.autograd.Graph.inputs;
import static dev.jgrad.autograd.Graph.record;
import static dev.jgrad.autograd.Graph.saved;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.kernel.BinaryOp;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.kernel.UnaryOp;

/**
 * Element-wise ops with their derivatives, one entry per op: the forward kernel call, then the
 * backward as a formula of differentiable tensor ops (PyTorch's derivatives.yaml, in Java).
 * Gradients are returned in the broadcast shape; the engine sums them back to each input's shape.
 */
public final class Pointwise {
    private Pointwise() {
    }

    /** Floating inputs stay; integral and bool inputs of a floating op become float32 (PyTorch's default dtype). */
    static Tensor floating(Tensor x) {
        return x.dtype().isFloatingPoint() ? x : x.to(DType.FLOAT32);
    }

    /**
     * True when an activation's backward can run as one fused kernel: no graph to record (not
     * create-graph mode), and g and the saved output of the same floating dtype and shape.
     */
    private static boolean fusable(Tensor g, Tensor y) {
        return !dev.jgrad.autograd.Graph.needsGrad(g, y) && g.dtype() == y.dtype() && g.dtype().isFloatingPoint()
                && java.util.Arrays.equals(g.shapeRef(), y.shapeRef());
    }

    private static Tensor unary(UnaryOp op, Tensor x) {
        return Kernels.unary(op, floating(x));
    }

    // ------------------------------------------------------------------ unary

    public static Tensor neg(Tensor x) {
        return record(Kernels.unary(UnaryOp.NEG, x), "NegBackward0", "∂(−x)/∂x = −1",
                inputs(x), saved(), (g, s) -> grads(g.neg()));
    }

    public static Tensor exp(Tensor x) {
        Tensor y = unary(UnaryOp.EXP, x);
        return record(y, "ExpBackward0", "∂exp(x)/∂x = exp(x)",
                inputs(x), saved(y), (g, s) -> grads(g.mul(s[0])));
    }

    public static Tensor log(Tensor x) {
        return record(unary(UnaryOp.LOG, x), "LogBackward0", "∂log(x)/∂x = 1/x",
                inputs(x), saved(x), (g, s) -> grads(g.div(s[0])));
    }

    public static Tensor log1p(Tensor x) {
        return record(unary(UnaryOp.LOG1P, x), "Log1PBackward0", "∂log(1+x)/∂x = 1/(1+x)",
                inputs(x), saved(x), (g, s) -> grads(g.div(s[0].add(1.0))));
    }

    public static Tensor sqrt(Tensor x) {
        Tensor y = unary(UnaryOp.SQRT, x);
        return record(y, "SqrtBackward0", "∂√x/∂x = 1/(2√x)",
                inputs(x), saved(y), (g, s) -> grads(g.div(s[0].mul(2.0))));
    }

    public static Tensor abs(Tensor x) {
        return record(Kernels.unary(UnaryOp.ABS, x), "AbsBackward0", "∂|x|/∂x = sign(x)",
                inputs(x), saved(x), (g, s) -> grads(g.mul(s[0].sign())));
    }

    /** sign(x): −1, 0 or 1; its derivative is zero. */
    public static Tensor sign(Tensor x) {
        return record(Kernels.unary(UnaryOp.SIGN, x), "SignBackward0", "∂sign(x)/∂x = 0",
                inputs(x), saved(), (g, s) -> grads(g.mul(0.0)));
    }

    public static Tensor sin(Tensor x) {
        return record(unary(UnaryOp.SIN, x), "SinBackward0", "∂sin(x)/∂x = cos(x)",
                inputs(x), saved(x), (g, s) -> grads(g.mul(s[0].cos())));
    }

    public static Tensor cos(Tensor x) {
        return record(unary(UnaryOp.COS, x), "CosBackward0", "∂cos(x)/∂x = −sin(x)",
                inputs(x), saved(x), (g, s) -> grads(g.mul(s[0].sin().neg())));
    }

    public static Tensor tanh(Tensor x) {
        Tensor y = unary(UnaryOp.TANH, x);
        return record(y, "TanhBackward0", "tanh'(z) = 1 − tanh(z)²",
                inputs(x), saved(y), (g, s) -> grads(g.mul(s[0].mul(s[0]).rsub(1.0))));
    }

    public static Tensor sigmoid(Tensor x) {
        Tensor y = unary(UnaryOp.SIGMOID, x);
        // PyTorch's sigmoid_backward: grad * (1 - y) * y, in this order
        return record(y, "SigmoidBackward0", "σ'(z) = σ(z)(1 − σ(z))",
                inputs(x), saved(y), (g, s) -> grads(fusable(g, s[0])
                        ? Kernels.sigmoidBackward(g, s[0]) : g.mul(s[0].rsub(1.0)).mul(s[0])));
    }

    public static Tensor relu(Tensor x) {
        Tensor y = Kernels.unary(UnaryOp.RELU, x);
        // threshold_backward: the subgradient at 0 is 0
        return record(y, "ReluBackward0", "relu'(z) = [z > 0]",
                inputs(x), saved(y), (g, s) -> grads(fusable(g, s[0])
                        ? Kernels.reluBackward(g, s[0]) : g.maskedFill(s[0].le(0.0), 0.0)));
    }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        Tensor y = Kernels.where(x.gt(0.0), x, Kernels.binaryScalar(BinaryOp.MUL, x, negativeSlope, false, x.dtype()), x.dtype());
        return record(y, "LeakyReluBackward0", "leaky_relu'(z) = 1 if z > 0 else " + negativeSlope,
                inputs(x), saved(x), (g, s) -> grads(Tensor.where(s[0].gt(0.0), g, g.mul(negativeSlope))));
    }

    /** GELU, exact ({@code approximate = "none"}) or with the tanh approximation ({@code "tanh"}). */
    public static Tensor gelu(Tensor x, String approximate) {
        if ("tanh".equals(approximate)) {
            // 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))), one GeluBackward0 node as in PyTorch
            Tensor xd = x.detach();
            Tensor inner = xd.add(xd.pow(3.0).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
            Tensor y = xd.mul(0.5).mul(inner.tanh().add(1.0));
            return record(y, "GeluBackward0", "gelu'(z) = ½(1 + tanh u) + ½z(1 − tanh²u)·√(2/π)(1 + 3·0.044715z²)",
                    inputs(x), saved(x), (g, s) -> grads(g.mul(geluTanhDerivative(s[0]))));
        }
        if (!"none".equals(approximate)) {
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        }
        Tensor cdf = Kernels.unary(UnaryOp.NORMAL_CDF, floating(x));
        Tensor y = Kernels.binary(BinaryOp.MUL, x, cdf, floating(x).dtype());
        return record(y, "GeluBackward0", "gelu'(z) = Φ(z) + z·φ(z)",
                inputs(x), saved(x), (g, s) -> grads(g.mul(normalCdf(s[0]).add(s[0].mul(normalPdf(s[0]))))));
    }

    /** d/dz of the tanh-approximated GELU, from differentiable ops (PyTorch's GeluBackward formula). */
    private static Tensor geluTanhDerivative(Tensor z) {
        double beta = Math.sqrt(2.0 / Math.PI);
        double kappa = 0.044715;
        Tensor th = z.add(z.pow(3.0).mul(kappa)).mul(beta).tanh();
        Tensor left = th.add(1.0).mul(0.5);
        Tensor right = z.mul(0.5).mul(th.mul(th).rsub(1.0)).mul(z.mul(z).mul(3 * kappa).add(1.0).mul(beta));
        return left.add(right);
    }

    /** Φ(x), the standard normal CDF; derivative φ(x). */
    public static Tensor normalCdf(Tensor x) {
        return record(unary(UnaryOp.NORMAL_CDF, x), "NormalCdfBackward", "∂Φ(x)/∂x = φ(x)",
                inputs(x), saved(x), (g, s) -> grads(g.mul(normalPdf(s[0]))));
    }

    /** φ(x), the standard normal density; derivative −x φ(x). */
    public static Tensor normalPdf(Tensor x) {
        Tensor y = unary(UnaryOp.NORMAL_PDF, x);
        return record(y, "NormalPdfBackward", "∂φ(x)/∂x = −x·φ(x)",
                inputs(x), saved(x, y), (g, s) -> grads(g.mul(s[0].neg().mul(s[1]))));
    }

    /** x clamped to [min, max]; either bound may be NaN to mean none. */
    public static Tensor clamp(Tensor x, double min, double max) {
        Tensor y = x;
        if (!Double.isNaN(min)) {
            y = Kernels.binaryScalar(BinaryOp.MAXIMUM, y, min, false, x.dtype().withFloatScalar());
        }
        if (!Double.isNaN(max)) {
            y = Kernels.binaryScalar(BinaryOp.MINIMUM, y, max, false, y.dtype());
        }
        if (y == x) {
            y = x.cloneData();
        }
        String name = "ClampBackward1";
        return record(y, name, "∂clamp(x)/∂x = [min ≤ x ≤ max]", inputs(x), saved(x), (g, s) -> {
            Tensor outside = null;
            if (!Double.isNaN(min)) {
                outside = s[0].lt(min);
            }
            if (!Double.isNaN(max)) {
                Tensor above = s[0].gt(max);
                outside = outside == null ? above : outside.logicalOr(above);
            }
            return grads(g.maskedFill(outside, 0.0));
        });
    }

    // ------------------------------------------------------------------ binary

    public static Tensor add(Tensor a, Tensor b, double alpha) {
        DType t = DType.resultType(a, b);
        Tensor y = alpha == 1.0 ? Kernels.binary(BinaryOp.ADD, a, b, t) : Kernels.addScaled(a, b, alpha, t);
        return record(y, "AddBackward0", "∂(a + αb)/∂a = 1, ∂/∂b = α",
                inputs(a, b), saved(), (g, s) -> grads(g, alpha == 1.0 ? g : g.mul(alpha)));
    }

    public static Tensor sub(Tensor a, Tensor b, double alpha) {
        DType t = DType.resultType(a, b);
        Tensor y = alpha == 1.0 ? Kernels.binary(BinaryOp.SUB, a, b, t) : Kernels.addScaled(a, b, -alpha, t);
        return record(y, "SubBackward0", "∂(a − αb)/∂a = 1, ∂/∂b = −α",
                inputs(a, b), saved(), (g, s) -> grads(g, g.mul(-alpha)));
    }

    public static Tensor mul(Tensor a, Tensor b) {
        DType t = DType.resultType(a, b);
        return record(Kernels.binary(BinaryOp.MUL, a, b, t), "MulBackward0", "∂(ab)/∂a = b, ∂(ab)/∂b = a",
                inputs(a, b), saved(a, b), (g, s) -> grads(g.mul(s[1]), g.mul(s[0])));
    }

    public static Tensor div(Tensor a, Tensor b) {
        DType t = floatingResult(a, b);
        return record(Kernels.binary(BinaryOp.DIV, a, b, t), "DivBackward0", "∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²",
                inputs(a, b), saved(a, b), (g, s) -> grads(g.div(s[1]), g.neg().mul(s[0]).div(s[1].mul(s[1]))));
    }

    public static Tensor pow(Tensor a, Tensor b) {
        DType t = floatingResult(a, b);
        Tensor y = Kernels.binary(BinaryOp.POW, a, b, t);
        return record(y, "PowBackward1", "∂aᵇ/∂a = b·aᵇ⁻¹, ∂aᵇ/∂b = aᵇ·log(a)", inputs(a, b), saved(a, b, y), (g, s) -> {
            // where b == 0 the base's gradient is 0, not 0·0⁻¹ (as PyTorch's pow_backward_self)
            Tensor ga = g.mul(Tensor.where(s[1].eq(0.0), Tensor.scalar(0.0, g.dtype()), s[1].mul(s[0].pow(s[1].sub(1.0)))));
            // where a == 0 and b >= 0 the exponent's gradient is 0, not 0·log(0)
            Tensor zero = s[0].eq(0.0).logicalAnd(s[1].ge(0.0));
            Tensor gb = g.mul(Tensor.where(zero, s[2].mul(0.0), s[2].mul(s[0].log())));
            return grads(ga, gb);
        });
    }

    public static Tensor maximum(Tensor a, Tensor b) {
        return extremum(a, b, BinaryOp.MAXIMUM, "MaximumBackward0");
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        return extremum(a, b, BinaryOp.MINIMUM, "MinimumBackward0");
    }

    private static Tensor extremum(Tensor a, Tensor b, BinaryOp op, String name) {
        DType t = DType.resultType(a, b);
        boolean max = op == BinaryOp.MAXIMUM;
        // ties share the gradient equally, as PyTorch
        return record(Kernels.binary(op, a, b, t), name, "the larger (smaller) input gets the gradient; ties split it",
                inputs(a, b), saved(a, b), (g, s) -> {
                    Tensor shared = Tensor.where(s[0].eq(s[1]), g.div(2.0), g);
                    Tensor ga = shared.maskedFill(max ? s[0].lt(s[1]) : s[0].gt(s[1]), 0.0);
                    Tensor gb = shared.maskedFill(max ? s[0].gt(s[1]) : s[0].lt(s[1]), 0.0);
                    return grads(ga, gb);
                });
    }

    /** {@code cond ? a : b}, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + cond.dtype().torchName().substring(6));
        }
        DType t = DType.resultType(a, b);
        return record(Kernels.where(cond, a, b, t), "WhereBackward0", "∂/∂a = [cond], ∂/∂b = [¬cond]",
                inputs(a, b), saved(cond), (g, s) -> grads(g.maskedFill(s[0].logicalNot(), 0.0), g.maskedFill(s[0], 0.0)));
    }

    /** x with {@code value} where {@code mask} is true; the gradient is zero there. */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype "
                    + mask.dtype().torchName().substring(6));
        }
        dev.jgrad.storage.Shapes.broadcast(x.shape(), mask.shape(), "masked_fill");
        return record(Kernels.maskedFill(x, mask, value), "MaskedFillBackward0", "∂/∂x = [¬mask]",
                inputs(x), saved(mask), (g, s) -> grads(g.maskedFill(s[0], 0.0)));
    }

    // ------------------------------------------------------------------ with a scalar

    /**
     * x + s (reversed irrelevant); x − s or s − x; x · s; x / s or s / x; xˢ or sˣ. Named as
     * PyTorch names {@code x + 2.5}, {@code x * 2} and so on: Python wraps the number in a tensor,
     * so these are AddBackward0, SubBackward0, MulBackward0 and DivBackward0 (not the ...Backward1
     * of the C++ Scalar overloads); {@code 1 - x} is RsubBackward1.
     */
    public static Tensor scalarOp(Tensor x, double c, BinaryOp op, boolean reversed) {
        DType t = op == BinaryOp.DIV || op == BinaryOp.POW ? floating(x).dtype() : x.dtype().withFloatScalar();
        Tensor y = Kernels.binaryScalar(op, x, c, reversed, t);
        switch (op) {
            case ADD:
                return record(y, "AddBackward0", "∂(x + c)/∂x = 1", inputs(x), saved(), (g, s) -> grads(g));
            case SUB:
                return record(y, reversed ? "RsubBackward1" : "SubBackward0", reversed ? "∂(c − x)/∂x = −1" : "∂(x − c)/∂x = 1",
                        inputs(x), saved(), (g, s) -> grads(reversed ? g.neg() : g));
            case MUL:
                return record(y, "MulBackward0", "∂(c·x)/∂x = c", inputs(x), saved(), (g, s) -> grads(g.mul(c)));
            case DIV:
                if (!reversed) {
                    return record(y, "DivBackward0", "∂(x/c)/∂x = 1/c", inputs(x), saved(), (g, s) -> grads(g.div(c)));
                }
                return record(y, "MulBackward0", "∂(c/x)/∂x = −c/x²", inputs(x), saved(x),
                        (g, s) -> grads(g.mul(-c).div(s[0].mul(s[0]))));
            case POW:
                if (!reversed) {
                    return record(y, "PowBackward0", "∂xᶜ/∂x = c·xᶜ⁻¹", inputs(x), saved(x),
                            (g, s) -> grads(c == 0.0 ? g.mul(0.0) : g.mul(s[0].pow(c - 1.0).mul(c))));
                }
                if (c == 0.0) {
                    // where x >= 0 the gradient is 0, not 0·log(0) (as PyTorch's pow_backward_exponent)
                    return record(y, "PowBackward1", "∂cˣ/∂x = cˣ·log(c)", inputs(x), saved(x, y), (g, s) -> grads(
                            g.mul(Tensor.where(s[0].ge(0.0), Tensor.scalar(0.0, g.dtype()), s[1].mul(Math.log(c))))));
                }
                return record(y, "PowBackward1", "∂cˣ/∂x = cˣ·log(c)", inputs(x), saved(y),
                        (g, s) -> grads(g.mul(s[0].mul(Math.log(c)))));
            default:
                throw new IllegalArgumentException("not a differentiable scalar op: " + op);
        }
    }

    private static DType floatingResult(Tensor a, Tensor b) {
        DType t = DType.resultType(a, b);
        return t.isFloatingPoint() ? t : DType.FLOAT32;
    }
}
