package dev.jgrad.ops;

import static dev.jgrad.autograd.Graph.grads;
import static dev.jgrad.autograd.Graph.inputs;
import static dev.jgrad.autograd.Graph.record;
import static dev.jgrad.autograd.Graph.saved;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.BackwardFn;
import dev.jgrad.autograd.Derivative;
import dev.jgrad.autograd.Fusion;
import dev.jgrad.hand.HandRules;
import dev.jgrad.hand.HandStep;
import dev.jgrad.hand.NdArray;
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
        return record(Kernels.unary(UnaryOp.NEG, x), "NegBackward0",
                Derivative.elementwise("∂(−x)/∂x", "\\frac{\\partial(-x)}{\\partial x}", "−1", "-1", -1, v -> -1, null, null),
                inputs(x), saved(), (g, s) -> grads(g.neg()));
    }

    public static Tensor exp(Tensor x) {
        Tensor y = unary(UnaryOp.EXP, x);
        return record(y, "ExpBackward0", Derivative.elementwise("exp'(x)", "\\exp'(x)", "exp(x)", "\\exp(x)", 0, v -> v, "{0}", "{0}"),
                inputs(x), saved(y), (g, s) -> grads(g.mul(s[0])));
    }

    public static Tensor log(Tensor x) {
        return record(unary(UnaryOp.LOG, x), "LogBackward0",
                Derivative.elementwise("log'(x)", "\\log'(x)", "1/x", "1/x", 0, v -> 1 / v, "1/{0}", "1/{0}"),
                inputs(x), saved(x), (g, s) -> grads(g.div(s[0])));
    }

    public static Tensor log1p(Tensor x) {
        return record(unary(UnaryOp.LOG1P, x), "Log1PBackward0", Derivative.elementwise("∂log(1+x)/∂x",
                "\\frac{\\partial \\log(1+x)}{\\partial x}", "1/(1+x)", "1/(1+x)", 0, v -> 1 / (1 + v), "1/(1 + {0})", "1/(1 + {0})"),
                inputs(x), saved(x), (g, s) -> grads(g.div(s[0].add(1.0))));
    }

    public static Tensor sqrt(Tensor x) {
        Tensor y = unary(UnaryOp.SQRT, x);
        return record(y, "SqrtBackward0", Derivative.elementwise("∂√x/∂x", "\\frac{\\partial \\sqrt{x}}{\\partial x}", "1/(2√x)",
                "\\frac{1}{2\\sqrt{x}}", 0, v -> 1 / (2 * v), "1/(2 × {0})", "\\frac{1}{2 \\times {0}}"),
                inputs(x), saved(y), (g, s) -> grads(g.div(s[0].mul(2.0))));
    }

    public static Tensor abs(Tensor x) {
        return record(Kernels.unary(UnaryOp.ABS, x), "AbsBackward0", Derivative.elementwise("∂|x|/∂x", "\\frac{\\partial |x|}{\\partial x}",
                "sign(x)", "\\operatorname{sign}(x)", 0, Math::signum, "sign({0})", "\\operatorname{sign}({0})"),
                inputs(x), saved(x), (g, s) -> grads(g.mul(s[0].sign())));
    }

    /** sign(x): −1, 0 or 1; its derivative is zero. */
    public static Tensor sign(Tensor x) {
        return record(Kernels.unary(UnaryOp.SIGN, x), "SignBackward0", Derivative.elementwise("∂sign(x)/∂x",
                "\\frac{\\partial \\operatorname{sign}(x)}{\\partial x}", "0", "0", -1, v -> 0, null, null),
                inputs(x), saved(), (g, s) -> grads(g.mul(0.0)));
    }

    public static Tensor sin(Tensor x) {
        return record(unary(UnaryOp.SIN, x), "SinBackward0",
                Derivative.elementwise("sin'(x)", "\\sin'(x)", "cos(x)", "\\cos(x)", 0, Math::cos, "cos({0})", "\\cos({0})"),
                inputs(x), saved(x), (g, s) -> grads(g.mul(s[0].cos())));
    }

    public static Tensor cos(Tensor x) {
        return record(unary(UnaryOp.COS, x), "CosBackward0",
                Derivative.elementwise("cos'(x)", "\\cos'(x)", "−sin(x)", "-\\sin(x)", 0, v -> -Math.sin(v), "−sin({0})", "-\\sin({0})"),
                inputs(x), saved(x), (g, s) -> grads(g.mul(s[0].sin().neg())));
    }

    public static Tensor tanh(Tensor x) {
        Tensor y = unary(UnaryOp.TANH, x);
        return record(y, "TanhBackward0", Derivative.elementwise("tanh'(z)", "\\tanh'(z)", "1 − tanh(z)²", "1 - \\tanh^2(z)",
                0, v -> 1 - v * v, "1 − {0}²", "1 - {0}^2"),
                inputs(x), saved(y), (g, s) -> grads(g.mul(s[0].mul(s[0]).rsub(1.0))));
    }

    public static Tensor sigmoid(Tensor x) {
        return recordSigmoid(x, unary(UnaryOp.SIGMOID, x));
    }

    /** Records y = sigmoid(x) computed by a kernel elsewhere (also nn's fused linear + sigmoid). */
    static Tensor recordSigmoid(Tensor x, Tensor y) {
        // PyTorch's sigmoid_backward: grad * (1 - y) * y, in this order
        return record(y, "SigmoidBackward0", SIGMOID, inputs(x), saved(y), SIGMOID_BACKWARD);
    }

    private static final Derivative SIGMOID = Derivative.elementwise("σ'(z)", "\\sigma'(z)", "σ(z)(1 − σ(z))",
            "\\sigma(z)\\,(1 - \\sigma(z))", 0, v -> v * (1 - v), "{0} × (1 − {0})", "{0} \\times (1 - {0})");
    private static final BackwardFn SIGMOID_BACKWARD = (g, s) -> grads(fusable(g, s[0])
            ? Kernels.sigmoidBackward(g, s[0]) : g.mul(s[0].rsub(1.0)).mul(s[0]));

    public static Tensor relu(Tensor x) {
        return recordRelu(x, Kernels.unary(UnaryOp.RELU, x));
    }

    /**
     * Records y = relu(x) computed by a kernel elsewhere (also nn's fused linear + ReLU). Its
     * backward is declared a ReLU mask, so the engine may fuse it into the product below it
     * ({@link Fusion}).
     */
    static Tensor recordRelu(Tensor x, Tensor y) {
        // threshold_backward: the subgradient at 0 is 0
        return record(y, "ReluBackward0", RELU, inputs(x), saved(y), RELU_BACKWARD);
    }

    private static final Derivative RELU = Derivative.elementwise("relu'(z)", "\\mathrm{relu}'(z)", "[z > 0] = [relu(z) > 0]",
            "[z > 0] = [\\mathrm{relu}(z) > 0]", 0, v -> v > 0 ? 1 : 0, "[{0} > 0]", "[{0} > 0]");
    private static final BackwardFn RELU_BACKWARD = Fusion.reluMask((g, s) -> grads(fusable(g, s[0])
            ? Kernels.reluBackward(g, s[0]) : g.maskedFill(s[0].le(0.0), 0.0)));

    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        Tensor y = Kernels.where(x.gt(0.0), x, Kernels.binaryScalar(BinaryOp.MUL, x, negativeSlope, false, x.dtype()), x.dtype());
        return record(y, "LeakyReluBackward0", Derivative.elementwise("leaky_relu'(z)", "\\mathrm{leaky\\_relu}'(z)",
                "1 if z > 0 else " + dev.jgrad.PyFormat.repr(negativeSlope), "[z > 0] + " + dev.jgrad.PyFormat.repr(negativeSlope) + "\\,[z \\le 0]",
                0, v -> v > 0 ? 1 : negativeSlope, "1 if {0} > 0 else " + dev.jgrad.PyFormat.repr(negativeSlope),
                "[{0} > 0] + " + dev.jgrad.PyFormat.repr(negativeSlope) + "\\,[{0} \\le 0]"),
                inputs(x), saved(x), (g, s) -> grads(Tensor.where(s[0].gt(0.0), g, g.mul(negativeSlope))));
    }

    /** GELU, exact ({@code approximate = "none"}) or with the tanh approximation ({@code "tanh"}). */
    public static Tensor gelu(Tensor x, String approximate) {
        if ("tanh".equals(approximate)) {
            // 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))), one GeluBackward0 node as in PyTorch
            Tensor xd = x.detach();
            Tensor inner = xd.add(xd.pow(3.0).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
            Tensor y = xd.mul(0.5).mul(inner.tanh().add(1.0));
            return record(y, "GeluBackward0", Derivative.elementwise("gelu'(z)", "\\mathrm{gelu}'(z)",
                    "½(1 + tanh u) + ½z(1 − tanh²u)·√(2/π)(1 + 3·0.044715z²), u = √(2/π)(z + 0.044715z³)",
                    "\\tfrac12(1 + \\tanh u) + \\tfrac12 z\\,(1 - \\tanh^2 u)\\sqrt{2/\\pi}\\,(1 + 3 \\cdot 0.044715 z^2),\\ "
                            + "u = \\sqrt{2/\\pi}\\,(z + 0.044715 z^3)",
                    0, Pointwise::geluTanhDerivative, null, null),
                    inputs(x), saved(x), (g, s) -> grads(g.mul(geluTanhDerivative(s[0]))));
        }
        if (!"none".equals(approximate)) {
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        }
        Tensor cdf = Kernels.unary(UnaryOp.NORMAL_CDF, floating(x));
        Tensor y = Kernels.binary(BinaryOp.MUL, x, cdf, floating(x).dtype());
        return record(y, "GeluBackward0", Derivative.elementwise("gelu'(z)", "\\mathrm{gelu}'(z)", "Φ(z) + z·φ(z)",
                "\\Phi(z) + z\\,\\varphi(z)", 0, v -> UnaryOp.NORMAL_CDF.apply(v) + v * UnaryOp.NORMAL_PDF.apply(v),
                "Φ({0}) + {0} × φ({0})", "\\Phi({0}) + {0} \\times \\varphi({0})"),
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

    /** d/dz of the tanh-approximated GELU for one number (the hand rule beside the tensor formula above). */
    private static double geluTanhDerivative(double z) {
        double beta = Math.sqrt(2.0 / Math.PI);
        double kappa = 0.044715;
        double th = Math.tanh(beta * (z + kappa * z * z * z));
        return 0.5 * (1 + th) + 0.5 * z * (1 - th * th) * beta * (1 + 3 * kappa * z * z);
    }

    /** Φ(x), the standard normal CDF; derivative φ(x). */
    public static Tensor normalCdf(Tensor x) {
        return record(unary(UnaryOp.NORMAL_CDF, x), "NormalCdfBackward", Derivative.elementwise("Φ'(x)", "\\Phi'(x)", "φ(x)",
                "\\varphi(x)", 0, UnaryOp.NORMAL_PDF::apply, "φ({0})", "\\varphi({0})"),
                inputs(x), saved(x), (g, s) -> grads(g.mul(normalPdf(s[0]))));
    }

    /** φ(x), the standard normal density; derivative −x φ(x). */
    public static Tensor normalPdf(Tensor x) {
        Tensor y = unary(UnaryOp.NORMAL_PDF, x);
        return record(y, "NormalPdfBackward", Derivative.elementwise("φ'(x)", "\\varphi'(x)", "−x·φ(x)", "-x\\,\\varphi(x)", 0,
                v -> -v * UnaryOp.NORMAL_PDF.apply(v), "−{0} × φ({0})", "-{0} \\times \\varphi({0})"),
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
        double lo = Double.isNaN(min) ? Double.NEGATIVE_INFINITY : min;
        double hi = Double.isNaN(max) ? Double.POSITIVE_INFINITY : max;
        return record(y, name, Derivative.elementwise("clamp'(x)", "\\mathrm{clamp}'(x)", "[min ≤ x ≤ max]",
                "[\\min \\le x \\le \\max]", 0, v -> v < lo || v > hi ? 0 : 1, null, null), inputs(x), saved(x), (g, s) -> {
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
        return record(y, "AddBackward0", Derivative.of("∂(a + αb)/∂a = 1, ∂(a + αb)/∂b = α",
                        "\\frac{\\partial(a + \\alpha b)}{\\partial a} = 1,\\ \\frac{\\partial(a + \\alpha b)}{\\partial b} = \\alpha")
                        .inputs("a", "b").hand((g, s) -> new HandStep[] {
                            HandStep.of(0, g).expression("G", "G").build(),
                            HandStep.of(1, g.mul(alpha)).expression("α·G, α = " + dev.jgrad.PyFormat.repr(alpha),
                                    "\\alpha G,\\ \\alpha = " + dev.jgrad.PyFormat.repr(alpha)).build()}),
                inputs(a, b), saved(), (g, s) -> grads(g, alpha == 1.0 ? g : g.mul(alpha)));
    }

    public static Tensor sub(Tensor a, Tensor b, double alpha) {
        DType t = DType.resultType(a, b);
        Tensor y = alpha == 1.0 ? Kernels.binary(BinaryOp.SUB, a, b, t) : Kernels.addScaled(a, b, -alpha, t);
        return record(y, "SubBackward0", Derivative.of("∂(a − αb)/∂a = 1, ∂(a − αb)/∂b = −α",
                        "\\frac{\\partial(a - \\alpha b)}{\\partial a} = 1,\\ \\frac{\\partial(a - \\alpha b)}{\\partial b} = -\\alpha")
                        .inputs("a", "b").hand((g, s) -> new HandStep[] {
                            HandStep.of(0, g).expression("G", "G").build(),
                            HandStep.of(1, g.mul(-alpha)).expression("−α·G, α = " + dev.jgrad.PyFormat.repr(alpha),
                                    "-\\alpha G,\\ \\alpha = " + dev.jgrad.PyFormat.repr(alpha)).build()}),
                inputs(a, b), saved(), (g, s) -> grads(g, g.mul(-alpha)));
    }

    public static Tensor mul(Tensor a, Tensor b) {
        DType t = DType.resultType(a, b);
        return record(Kernels.binary(BinaryOp.MUL, a, b, t), "MulBackward0", Derivative.of("∂(ab)/∂a = b, ∂(ab)/∂b = a",
                        "\\frac{\\partial(ab)}{\\partial a} = b,\\ \\frac{\\partial(ab)}{\\partial b} = a").inputs("a", "b")
                        .hand((g, s) -> new HandStep[] {
                            HandStep.of(0, g.mul(s[1])).expression("G ⊙ b", "G \\odot b").operand("b", "b", s[1]).build(),
                            HandStep.of(1, g.mul(s[0])).expression("G ⊙ a", "G \\odot a").operand("a", "a", s[0]).build()}),
                inputs(a, b), saved(a, b), (g, s) -> grads(g.mul(s[1]), g.mul(s[0])));
    }

    public static Tensor div(Tensor a, Tensor b) {
        DType t = floatingResult(a, b);
        return record(Kernels.binary(BinaryOp.DIV, a, b, t), "DivBackward0", Derivative.of("∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²",
                        "\\frac{\\partial(a/b)}{\\partial a} = \\frac{1}{b},\\ \\frac{\\partial(a/b)}{\\partial b} = -\\frac{a}{b^2}")
                        .inputs("a", "b").hand((g, s) -> new HandStep[] {
                            HandStep.of(0, g.div(s[1])).expression("G / b", "G / b").operand("b", "b", s[1]).build(),
                            HandStep.of(1, g.mul(s[0]).div(s[1].mul(s[1])).mul(-1)).expression("−G ⊙ a / b²", "-G \\odot a / b^2")
                                    .operand("a", "a", s[0]).operand("b", "b", s[1]).build()}),
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
        return record(Kernels.where(cond, a, b, t), "WhereBackward0", Derivative.of("∂/∂a = [cond], ∂/∂b = [¬cond]",
                        "\\frac{\\partial}{\\partial a} = [c],\\ \\frac{\\partial}{\\partial b} = [\\lnot c]").inputs("a", "b")
                        .hand((g, s) -> new HandStep[] {
                            HandStep.of(0, g.mul(s[0])).expression("G ⊙ [cond]", "G \\odot [c]").build(),
                            HandStep.of(1, g.mul(s[0].map(c -> 1 - c))).expression("G ⊙ [¬cond]", "G \\odot [\\lnot c]").build()}),
                inputs(a, b), saved(cond), (g, s) -> grads(g.maskedFill(s[0].logicalNot(), 0.0), g.maskedFill(s[0], 0.0)));
    }

    /** x with {@code value} where {@code mask} is true; the gradient is zero there. */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype "
                    + mask.dtype().torchName().substring(6));
        }
        dev.jgrad.storage.Shapes.broadcast(x.shape(), mask.shape(), "masked_fill");
        return record(Kernels.maskedFill(x, mask, value), "MaskedFillBackward0", Derivative.of("∂/∂x = [¬mask]",
                        "\\frac{\\partial}{\\partial x} = [\\lnot \\mathrm{mask}]")
                        .inputs("x").hand((g, s) -> new HandStep[] {HandStep.of(0, g.mul(s[0].map(c -> 1 - c)))
                                .expression("G ⊙ [¬mask]", "G \\odot [\\lnot \\mathrm{mask}]").build()}),
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
                return record(y, "AddBackward0", Derivative.of("∂(x + c)/∂x = 1", "\\frac{\\partial(x + c)}{\\partial x} = 1")
                        .inputs("x").hand(HandRules.identity(1)), inputs(x), saved(), (g, s) -> grads(g));
            case SUB:
                return record(y, reversed ? "RsubBackward1" : "SubBackward0", (reversed
                                ? Derivative.of("∂(c − x)/∂x = −1", "\\frac{\\partial(c - x)}{\\partial x} = -1")
                                        .inputs("x").hand((g, s) -> new HandStep[] {HandStep.of(0, g.mul(-1)).expression("−G", "-G").build()})
                                : Derivative.of("∂(x − c)/∂x = 1", "\\frac{\\partial(x - c)}{\\partial x} = 1").inputs("x").hand(HandRules.identity(1))),
                        inputs(x), saved(), (g, s) -> grads(reversed ? g.neg() : g));
            case MUL:
                return record(y, "MulBackward0", Derivative.of("∂(c·x)/∂x = c", "\\frac{\\partial(c x)}{\\partial x} = c")
                        .inputs("x").hand((g, s) -> new HandStep[] {HandStep.of(0, g.mul(c)).expression("c·G, c = " + dev.jgrad.PyFormat.repr(c),
                                "c\\,G,\\ c = " + dev.jgrad.PyFormat.repr(c)).build()}),
                        inputs(x), saved(), (g, s) -> grads(g.mul(c)));
            case DIV:
                if (!reversed) {
                    return record(y, "DivBackward0", Derivative.of("∂(x/c)/∂x = 1/c", "\\frac{\\partial(x/c)}{\\partial x} = \\frac{1}{c}")
                            .inputs("x").hand((g, s) -> new HandStep[] {HandStep.of(0, g.mul(1 / c)).expression("G / c, c = " + dev.jgrad.PyFormat.repr(c),
                                    "G / c,\\ c = " + dev.jgrad.PyFormat.repr(c)).build()}),
                            inputs(x), saved(), (g, s) -> grads(g.div(c)));
                }
                return record(y, "MulBackward0", Derivative.elementwise("∂(c/x)/∂x", "\\frac{\\partial(c/x)}{\\partial x}",
                                "−c/x², c = " + dev.jgrad.PyFormat.repr(c), "-c/x^2,\\ c = " + dev.jgrad.PyFormat.repr(c),
                                0, v -> -c / (v * v), null, null), inputs(x), saved(x),
                        (g, s) -> grads(g.mul(-c).div(s[0].mul(s[0]))));
            case POW:
                if (!reversed) {
                    return record(y, "PowBackward0", Derivative.elementwise("∂xᶜ/∂x", "\\frac{\\partial x^c}{\\partial x}",
                                    "c·xᶜ⁻¹, c = " + dev.jgrad.PyFormat.repr(c), "c\\,x^{c-1},\\ c = " + dev.jgrad.PyFormat.repr(c),
                                    0, v -> c == 0.0 ? 0 : c * Math.pow(v, c - 1), null, null), inputs(x), saved(x),
                            (g, s) -> grads(c == 0.0 ? g.mul(0.0) : g.mul(s[0].pow(c - 1.0).mul(c))));
                }
                if (c == 0.0) {
                    // where x >= 0 the gradient is 0, not 0·log(0) (as PyTorch's pow_backward_exponent)
                    return record(y, "PowBackward1", "∂cˣ/∂x = cˣ·log(c)", inputs(x), saved(x, y), (g, s) -> grads(
                            g.mul(Tensor.where(s[0].ge(0.0), Tensor.scalar(0.0, g.dtype()), s[1].mul(Math.log(c))))));
                }
                return record(y, "PowBackward1", Derivative.elementwise("∂cˣ/∂x", "\\frac{\\partial c^x}{\\partial x}",
                                "cˣ·log(c), c = " + dev.jgrad.PyFormat.repr(c), "c^x \\log c,\\ c = " + dev.jgrad.PyFormat.repr(c),
                                0, v -> v * Math.log(c), null, null), inputs(x), saved(y),
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
