package dev.jgrad.ops;

import static dev.jgrad.autograd.Graph.grads;
import static dev.jgrad.autograd.Graph.inputs;
import static dev.jgrad.autograd.Graph.record;
import static dev.jgrad.autograd.Graph.saved;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.Derivative;
import dev.jgrad.hand.HandStep;
import dev.jgrad.hand.NdArray;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.storage.Shapes;
import java.util.Arrays;

/**
 * Loss functions with PyTorch's forward arithmetic and backward formulas. {@code reduction} is
 * "mean", "sum" or "none".
 */
public final class Losses {
    /** The floor of x(1 − x) in BCE's backward: PyTorch's float constant 1e-12f, also for float64. */
    private static final double BCE_EPSILON = 1e-12f;

    private Losses() {
    }

    static void checkReduction(String reduction) {
        if (!"mean".equals(reduction) && !"sum".equals(reduction) && !"none".equals(reduction)) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }

    static void checkSameShape(Tensor input, Tensor target, String op) {
        if (!Arrays.equals(input.shapeRef(), target.shapeRef())) {
            throw new IllegalArgumentException(op + ": Using a target size (" + Shapes.format(target.shape())
                    + ") that is different to the input size (" + Shapes.format(input.shape()) + ") is deprecated. "
                    + "Please ensure they have the same size.");
        }
    }

    /** Applies the reduction to an element-wise loss without recording (the loss op records once). */
    private static Tensor reduce(Tensor loss, String reduction) {
        switch (reduction) {
            case "mean": return Kernels.sum(loss, all(loss), false, true, loss.dtype());
            case "sum": return Kernels.sum(loss, all(loss), false, false, loss.dtype());
            default: return loss;
        }
    }

    private static boolean[] all(Tensor t) {
        boolean[] f = new boolean[t.dim()];
        Arrays.fill(f, true);
        return f;
    }

    /** The upstream gradient of a reduced loss, expanded back to the element shape (divided by n for mean). */
    private static Tensor expandGrad(Tensor g, int[] shape, String reduction) {
        return "none".equals(reduction) ? g : g.expand(shape);
    }

    /**
     * Binary cross-entropy on probabilities: −[y·log(x) + (1−y)·log(1−x)], each log clamped at
     * −100 as PyTorch does; optional element weights.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, String reduction) {
        checkReduction(reduction);
        checkSameShape(input, target, "binary_cross_entropy");
        double[] x = Kernels.toDoubles(input);
        double[] y = Kernels.toDoubles(target);
        Tensor loss = Tensor.empty(input.dtype(), input.shape());
        boolean f32 = input.dtype() == DType.FLOAT32;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            if (!(xi >= 0 && xi <= 1)) {
                throw new IllegalArgumentException("all elements of input should be between 0 and 1 (element " + i + " is " + xi + ")");
            }
            double l;
            if (f32) {
                float xf = (float) xi;
                float yf = (float) y[i];
                // PyTorch 1.13 takes log(1 − x) of the float difference, not log1p(−x)
                float log1m = Math.max((float) Math.log(1f - xf), -100f);
                float logx = Math.max((float) Math.log(xf), -100f);
                l = (yf - 1f) * log1m - yf * logx;
            } else {
                l = (y[i] - 1) * Math.max(Math.log(1 - xi), -100) - y[i] * Math.max(Math.log(xi), -100);
            }
            loss.storage().set(i, l);
        }
        if (weight != null) {
            loss = Kernels.binary(dev.jgrad.kernel.BinaryOp.MUL, loss, weight, loss.dtype());
        }
        int n = input.numel();
        int[] shape = input.shape();
        return record(reduce(loss, reduction), "BinaryCrossEntropyBackward0", bceDerivative(reduction, n),
                inputs(input, target), weight == null ? saved(input, target) : saved(input, target, weight), (g, s) -> {
                    Tensor x0 = s[0];
                    Tensor y0 = s[1];
                    if (s.length == 2 && !y0.requiresGrad() && !"none".equals(reduction)
                            && !dev.jgrad.autograd.Graph.needsGrad(g, x0, y0)) {
                        Tensor fused = Kernels.bceBackward(g, x0, y0, BCE_EPSILON, "mean".equals(reduction) ? n : 0);
                        if (fused != null) {
                            return grads(fused, null);
                        }
                    }
                    Tensor gi = expandGrad(g, shape, reduction).mul(x0.sub(y0))
                            .div(x0.rsub(1.0).mul(x0).clampMin(BCE_EPSILON));
                    // the target's gradient only when it takes one (as PyTorch, which skips unneeded outputs)
                    Tensor gt = y0.requiresGrad() ? expandGrad(g, shape, reduction).mul(x0.rsub(1.0).log().sub(x0.log())) : null;
                    return weightedGrads(gi, gt, s.length > 2 ? s[2] : null, reduction, n);
                });
    }

    /** Notes the 1/n of a mean reduction on a hand step. */
    private static HandStep.Builder meanScale(HandStep.Builder b, String reduction, int n) {
        return "mean".equals(reduction) && n != 1 ? b.scale(1.0 / n, "1/n, the mean over the loss's n = " + n + " elements",
                "\\frac{1}{n},\\ n = " + n) : b;
    }

    /** Binary cross-entropy's derivative: the notebook's formula, computed by hand as PyTorch's backward does. */
    private static Derivative bceDerivative(String reduction, int n) {
        return Derivative.of("L = −[y·log a + (1 − y)·log(1 − a)]: ∂L/∂a = −y/a + (1 − y)/(1 − a) = (a − y)/(a(1 − a))",
                        "L = -\\left[y \\log a + (1 - y) \\log(1 - a)\\right]:\\quad \\frac{\\partial L}{\\partial a} = "
                                + "-\\frac{y}{a} + \\frac{1 - y}{1 - a} = \\frac{a - y}{a\\,(1 - a)}")
                .inputs("a", "y").hand((g, s) -> {
                    NdArray a = s[0];
                    NdArray y = s[1];
                    NdArray local = a.zip(y, (av, yv) -> (av - yv) / Math.max(av * (1 - av), BCE_EPSILON));
                    NdArray localT = a.map(av -> Math.log(1 - av) - Math.log(av));
                    if (s.length > 2) {
                        local = local.mul(s[2]);
                        localT = localT.mul(s[2]);
                    }
                    double k = "mean".equals(reduction) ? 1.0 / n : 1.0;
                    return new HandStep[] {
                        meanScale(HandStep.of(0, g.mul(local).mul(k)).expression("G ⊙ ∂L/∂a", "G \\odot \\frac{\\partial L}{\\partial a}")
                                .local(local, "∂L/∂a = −y/a + (1 − y)/(1 − a)", "\\frac{\\partial L}{\\partial a} = -\\frac{y}{a} + \\frac{1 - y}{1 - a}")
                                .element("−{1}/{0} + (1 − {1})/(1 − {0})", "-\\frac{{1}}{{0}} + \\frac{1 - {1}}{1 - {0}}", a, y), reduction, n).build(),
                        meanScale(HandStep.of(1, g.mul(localT).mul(k)).expression("G ⊙ (log(1 − a) − log a)",
                                "G \\odot (\\log(1 - a) - \\log a)"), reduction, n).build()};
                });
    }

    /** Binary cross-entropy on logits: ∂L/∂z = σ(z) − y (with weights: ((p·y + 1 − y)·σ(z) − p·y)·w). */
    private static Derivative bceLogitsDerivative(String reduction, int n, boolean plain) {
        return Derivative.of("L = −[y·log σ(z) + (1 − y)·log(1 − σ(z))]: ∂L/∂z = σ(z) − y",
                        "L = -\\left[y \\log \\sigma(z) + (1 - y) \\log(1 - \\sigma(z))\\right]:\\quad "
                                + "\\frac{\\partial L}{\\partial z} = \\sigma(z) - y")
                .inputs("z", "y").hand((g, s) -> {
                    NdArray z = s[0];
                    NdArray y = s[1];
                    NdArray py = s[3].mul(y);
                    NdArray sig = z.map(v -> 1 / (1 + Math.exp(-v)));
                    NdArray local = py.add(NdArray.scalar(1)).sub(y).mul(sig).sub(py).mul(s[2]);
                    NdArray localT = z.map(v -> logSigmoid(-v)).sub(z.map(Losses::logSigmoid).mul(s[3])).mul(s[2]);
                    double k = "mean".equals(reduction) ? 1.0 / n : 1.0;
                    HandStep.Builder b = HandStep.of(0, g.mul(local).mul(k)).expression("G ⊙ ∂L/∂z", "G \\odot \\frac{\\partial L}{\\partial z}")
                            .local(local, plain ? "∂L/∂z = σ(z) − y" : "∂L/∂z = ((p·y + 1 − y)·σ(z) − p·y)·w",
                                    plain ? "\\frac{\\partial L}{\\partial z} = \\sigma(z) - y"
                                            : "\\frac{\\partial L}{\\partial z} = ((p y + 1 - y)\\,\\sigma(z) - p y)\\,w");
                    if (plain) {
                        b.element("σ({0}) − {1}", "\\sigma({0}) - {1}", z, y);
                    }
                    return new HandStep[] {meanScale(b, reduction, n).build(),
                        meanScale(HandStep.of(1, g.mul(localT).mul(k)).expression("G ⊙ (log σ(−z) − p·log σ(z))·w",
                                "G \\odot (\\log\\sigma(-z) - p \\log\\sigma(z))\\,w"), reduction, n).build()};
                });
    }

    /** log σ(v) for one number, stable for large |v|. */
    private static double logSigmoid(double v) {
        return -(Math.max(-v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
    }

    /**
     * Binary cross-entropy on logits, numerically stable: (1−y)·x + m + log(e^(−m) + e^(−x−m)),
     * m = max(−x, 0); with {@code posWeight} the log term is weighted by 1 + (p−1)·y.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      String reduction) {
        checkReduction(reduction);
        checkSameShape(input, target, "binary_cross_entropy_with_logits");
        Tensor x = input.detach();
        Tensor y = target.detach();
        Tensor loss;
        Tensor maxVal = x.neg().clampMin(0.0);
        Tensor logTerm = maxVal.neg().exp().add(x.neg().sub(maxVal).exp()).log().add(maxVal);
        if (posWeight != null) {
            Tensor logWeight = posWeight.detach().sub(1.0).mul(y).add(1.0);
            loss = y.rsub(1.0).mul(x).add(logWeight.mul(logTerm));
        } else {
            loss = y.rsub(1.0).mul(x).add(maxVal).add(maxVal.neg().exp().add(x.neg().sub(maxVal).exp()).log());
        }
        if (weight != null) {
            loss = loss.mul(weight.detach());
        }
        int n = input.numel();
        int[] shape = input.shape();
        Tensor pw = posWeight;
        return record(reduce(loss, reduction), "BinaryCrossEntropyWithLogitsBackward0",
                bceLogitsDerivative(reduction, n, weight == null && posWeight == null), inputs(input, target), saved(input, target, weight == null ? Tensor.scalar(1.0, input.dtype()) : weight,
                        pw == null ? Tensor.scalar(1.0, input.dtype()) : pw), (g, s) -> {
                    Tensor z = s[0];
                    Tensor t = s[1];
                    Tensor gg = expandGrad(g, shape, reduction);
                    Tensor gi;
                    Tensor gt;
                    if (pw != null) {
                        // PyTorch: (p·y + 1 − y)·σ(z) − p·y, and for the target log σ(−z) − p·log σ(z)
                        Tensor py = s[3].mul(t);
                        gi = py.add(1.0).sub(t).mul(z.sigmoid()).sub(py).mul(gg);
                        gt = logSigmoid(z.neg()).sub(logSigmoid(z).mul(s[3])).mul(gg);
                    } else {
                        gi = z.sigmoid().sub(t).mul(gg);
                        gt = z.neg().mul(gg);
                    }
                    return weightedGrads(gi, gt, s[2], reduction, n);
                });
    }

    /** The input and target (null: none) gradients of an element-wise loss, times the element weights, over n for "mean". */
    private static Tensor[] weightedGrads(Tensor gi, Tensor gt, Tensor weight, String reduction, int n) {
        if (weight != null) {
            gi = gi.mul(weight);
            gt = gt == null ? null : gt.mul(weight);
        }
        if ("mean".equals(reduction)) {
            gi = gi.div(n);
            gt = gt == null ? null : gt.div(n);
        }
        return grads(gi, gt);
    }

    /** log σ(z) = −(max(−z, 0) + log(1 + e^(−|z|))), stable for large |z|. */
    private static Tensor logSigmoid(Tensor z) {
        return z.neg().clampMin(0.0).add(z.abs().neg().exp().log1p()).neg();
    }

    /** Mean squared error (x − y)². */
    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) {
        checkReduction(reduction);
        checkSameShape(input, target, "mse_loss");
        Tensor diff = Kernels.binary(dev.jgrad.kernel.BinaryOp.SUB, input, target, DType.resultType(input, target));
        Tensor sq = Kernels.binary(dev.jgrad.kernel.BinaryOp.MUL, diff, diff, diff.dtype());
        int n = input.numel();
        int[] shape = input.shape();
        return record(reduce(sq, reduction), "MseLossBackward0", Derivative.of("L = (x − y)²: ∂L/∂x = 2(x − y), ∂L/∂y = −2(x − y)",
                        "L = (x - y)^2:\\quad \\frac{\\partial L}{\\partial x} = 2(x - y),\\quad \\frac{\\partial L}{\\partial y} = -2(x - y)")
                        .inputs("x", "y").hand((g, s) -> {
                            NdArray local = s[0].sub(s[1]).mul(2);
                            double k = "mean".equals(reduction) ? 1.0 / n : 1.0;
                            NdArray gi = g.mul(local).mul(k);
                            return new HandStep[] {
                                meanScale(HandStep.of(0, gi).expression("G ⊙ ∂L/∂x", "G \\odot \\frac{\\partial L}{\\partial x}")
                                        .local(local, "∂L/∂x = 2(x − y)", "\\frac{\\partial L}{\\partial x} = 2(x - y)")
                                        .element("2 × ({0} − {1})", "2 \\times ({0} - {1})", s[0], s[1]), reduction, n).build(),
                                meanScale(HandStep.of(1, gi.mul(-1)).expression("−G ⊙ ∂L/∂x", "-G \\odot \\frac{\\partial L}{\\partial x}"),
                                        reduction, n).build()};
                        }),
                inputs(input, target), saved(input, target), (g, s) -> {
                    double norm = "mean".equals(reduction) ? 2.0 / n : 2.0;
                    Tensor gi = s[0].sub(s[1]).mul(norm).mul(expandGrad(g, shape, reduction));
                    return grads(gi, gi.neg());
                });
    }

    /** Mean absolute error |x − y|, composed as PyTorch composes it. */
    public static Tensor l1Loss(Tensor input, Tensor target, String reduction) {
        checkReduction(reduction);
        checkSameShape(input, target, "l1_loss");
        Tensor loss = input.sub(target).abs();
        return "mean".equals(reduction) ? loss.mean() : "sum".equals(reduction) ? loss.sum() : loss;
    }

    /**
     * Negative log-likelihood of log-probabilities [N, C] (or [C]) at class indices [N] (or []),
     * with optional class weights and an ignored index.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction) {
        checkReduction(reduction);
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException("nll_loss: expected target of dtype int64 (class indices), but got " + target.dtype());
        }
        boolean single = input.dim() == 1;
        Tensor in2 = single ? input.unsqueezeView(0) : input;
        Tensor tg = single ? target.unsqueezeView(0) : target;
        if (in2.dim() != 2) {
            throw new IllegalArgumentException("nll_loss: expected input of 1 or 2 dimensions, got " + input.dim() + "D");
        }
        int n = in2.size(0);
        int c = in2.size(1);
        if (tg.dim() != 1 || tg.size(0) != n) {
            throw new IllegalArgumentException("Expected input batch_size (" + n + ") to match target batch_size ("
                    + (tg.dim() == 0 ? 0 : tg.size(0)) + ").");
        }
        if (weight != null && (weight.dim() != 1 || weight.size(0) != c)) {
            throw new IllegalArgumentException("weight tensor should be defined either for all " + c
                    + " classes or no classes but got weight tensor of shape: " + Shapes.format(weight.shape()));
        }
        double[] x = Kernels.toDoubles(in2);
        long[] t = new long[n];
        double[] w = new double[n];
        double[] wc = weight == null ? null : Kernels.toDoubles(weight);
        long[] raw = longs(tg);
        long[] cleaned = new long[n];
        boolean[] ignored = new boolean[n];
        double total = 0;
        double wsum = 0;
        Tensor none = Tensor.empty(input.dtype(), new int[] {n});
        for (int i = 0; i < n; i++) {
            long cls = raw[i];
            t[i] = cls;
            if (cls == ignoreIndex) {
                w[i] = 0;
                ignored[i] = true;
                continue;
            }
            if (cls < 0 || cls >= c) {
                throw new IndexOutOfBoundsException("Target " + cls + " is out of bounds.");
            }
            cleaned[i] = cls;
            w[i] = wc == null ? 1.0 : wc[(int) cls];
            double li = -w[i] * x[i * c + (int) cls];
            none.storage().set(i, li);
            total += li;
            wsum += w[i];
        }
        Tensor out;
        if ("none".equals(reduction)) {
            out = single ? none.squeezeView(0) : none;
        } else {
            double v = "mean".equals(reduction) ? total / wsum : total;
            out = Tensor.scalar(v, input.dtype());
        }
        double norm = "mean".equals(reduction) ? wsum : 1.0;
        Tensor weights = Tensor.fromDoubles(w, new int[] {n}).to(input.dtype());
        Tensor index = Tensor.fromLongs(cleaned, new int[] {n, 1});
        Tensor ignoredMask = Tensor.fromBooleans(ignored, n);
        int[] shape = input.shape();
        boolean[] skip = ignored.clone();
        return record(out, "NllLossBackward0", Derivative.of("L⁽ⁱ⁾ = −w⁽ⁱ⁾·x⁽ⁱ⁾[y⁽ⁱ⁾]: ∂J/∂x⁽ⁱ⁾[c] = −G·w⁽ⁱ⁾/Σw at the target class c = y⁽ⁱ⁾, 0 elsewhere",
                        "L^{(i)} = -w^{(i)} x^{(i)}_{y^{(i)}}:\\quad \\frac{\\partial J}{\\partial x^{(i)}_c} = "
                                + "-G\\,\\frac{w^{(i)}}{\\sum w}\\,[c = y^{(i)}]")
                        .inputs("x").hand((g, s) -> {
                            double[] local = new double[n * c];
                            double[] res = new double[n * c];
                            for (int i = 0; i < n; i++) {
                                if (skip[i]) {
                                    continue;
                                }
                                int k = i * c + (int) s[0].at(i);
                                double gi = "none".equals(reduction) ? g.at(i) : g.at(0);
                                local[k] = -s[1].at(i);
                                res[k] = gi * -s[1].at(i) / norm;
                            }
                            int[] inShape = single ? new int[] {c} : new int[] {n, c};
                            HandStep.Builder b = HandStep.of(0, NdArray.of(res, inShape))
                                    .expression("G ⊙ (−w at the target class, 0 elsewhere)", "G \\odot (-w\\,[c = y])")
                                    .local(NdArray.of(local, inShape), "∂L⁽ⁱ⁾/∂x⁽ⁱ⁾[c] = −w⁽ⁱ⁾·[c = y⁽ⁱ⁾]",
                                            "\\frac{\\partial L^{(i)}}{\\partial x^{(i)}_c} = -w^{(i)} [c = y^{(i)}]");
                            if (norm != 1.0) {
                                b.scale(1.0 / norm, "1/Σw, the mean over " + dev.jgrad.PyFormat.repr(norm) + " (weighted) samples",
                                        "\\frac{1}{\\sum w},\\ \\sum w = " + dev.jgrad.PyFormat.repr(norm));
                            }
                            return new HandStep[] {b.build()};
                        }),
                inputs(input), saved(index, weights), (g, s) -> {
                    Tensor gcol = "none".equals(reduction) ? (single ? g.reshape(1) : g) : g.expand(n);
                    // ignored rows get 0, also when every row is ignored (0/0 for mean)
                    Tensor src = gcol.mul(s[1]).neg().div(norm).maskedFill(ignoredMask, 0.0).unsqueeze(1);
                    Tensor grad2 = Indexing.scatterAdd(new int[] {n, c}, src.dtype(), 1, s[0], src);
                    return grads(single ? grad2.reshape(shape) : grad2);
                });
    }

    private static long[] longs(Tensor t) {
        int[] off = Kernels.offsets(t);
        long[] out = new long[off.length];
        for (int i = 0; i < off.length; i++) {
            out[i] = t.storage().longs()[off[i]];
        }
        return out;
    }

    /**
     * Cross-entropy of logits [N, C] (or [C]) against class indices, as PyTorch composes it:
     * nll_loss(log_softmax(x)) plus label smoothing.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction,
                                      double labelSmoothing) {
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        int classDim = input.dim() == 1 ? 0 : 1;
        Tensor logp = input.logSoftmax(classDim);
        Tensor nll = nllLoss(logp, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0.0) {
            return nll;
        }
        int nClasses = input.size(classDim);
        Tensor ignoreMask = target.eq((double) ignoreIndex);
        Tensor smooth;
        if (weight != null) {
            int[] ws = new int[input.dim()];
            Arrays.fill(ws, 1);
            ws[classDim] = nClasses;
            smooth = logp.mul(weight.reshape(ws)).sum(new int[] {classDim}, false).neg();
        } else {
            smooth = logp.sum(new int[] {classDim}, false).neg();
        }
        smooth = smooth.maskedFill(ignoreMask, 0.0);
        Tensor ret;
        switch (reduction) {
            case "mean":
                if (weight != null) {
                    // Σ of the weights of the targets that are not ignored
                    Tensor keep = ignoreMask.logicalNot();
                    Tensor safeTarget = target.maskedFill(ignoreMask, 0.0);
                    Tensor w = weight.indexSelect(0, safeTarget.reshape(-1)).mul(keep.reshape(-1));
                    ret = smooth.sum().div(w.sum());
                } else {
                    ret = smooth.sum().div(ignoreMask.logicalNot().sum().to(smooth.dtype()));
                }
                break;
            case "sum":
                ret = smooth.sum();
                break;
            default:
                ret = smooth;
        }
        return nll.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / nClasses));
    }
}
