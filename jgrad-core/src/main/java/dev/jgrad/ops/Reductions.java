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

/** Reductions (sum, mean, max/min, argmax/argmin, logsumexp) with their derivatives. */
public final class Reductions {
    private Reductions() {
    }

    /** Flags for the dimensions to reduce; an empty {@code dims} means all. */
    static boolean[] flags(Tensor x, int[] dims) {
        boolean[] f = new boolean[x.dim()];
        if (dims == null || dims.length == 0) {
            java.util.Arrays.fill(f, true);
            return f;
        }
        for (int d : dims) {
            int w = Shapes.wrapDim(d, x.dim());
            if (x.dim() == 0) {
                continue;
            }
            if (f[w]) {
                throw new IllegalArgumentException("dim " + w + " appears multiple times in the list of dims");
            }
            f[w] = true;
        }
        return f;
    }

    /** The gradient of a reduced tensor, with the reduced dimensions put back as size 1. */
    static Tensor unsqueezeReduced(Tensor g, boolean[] reduced, boolean keepdim) {
        if (keepdim) {
            return g;
        }
        for (int d = 0; d < reduced.length; d++) {
            if (reduced[d]) {
                g = g.unsqueeze(d);
            }
        }
        return g;
    }

    private static DType sumType(Tensor x) {
        return x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
    }

    public static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        boolean[] f = flags(x, dims);
        int[] shape = x.shape();
        // SumBackward0 is sum() without dims; an empty dim list also reduces everything but is SumBackward1
        return record(Kernels.sum(x, f, keepdim, false, sumType(x)), dims == null ? "SumBackward0" : "SumBackward1",
                Derivative.of("∂(Σx)/∂xᵢ = 1: every summed element gets G", "\\frac{\\partial \\sum x}{\\partial x_i} = 1")
                        .inputs("x").hand((g, s) -> new HandStep[] {HandStep.of(0, spread(g, f, shape)).expression("G copied to every summed element",
                                "G \\text{ copied to every summed element}").build()}),
                inputs(x), saved(),
                (g, s) -> grads(unsqueezeReduced(g, f, keepdim).expand(shape)));
    }

    public static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating "
                    + "point or complex dtype. Got: " + x.dtype().name().substring(0, 1) + x.dtype().name().substring(1).toLowerCase());
        }
        boolean[] f = flags(x, dims);
        int[] shape = x.shape();
        int n = 1;
        for (int d = 0; d < f.length; d++) {
            if (f[d]) {
                n *= shape[d];
            }
        }
        int count = n;
        return record(Kernels.sum(x, f, keepdim, true, x.dtype()), "MeanBackward" + (dims == null ? 0 : 1),
                Derivative.of("∂(mean x)/∂xᵢ = 1/n", "\\frac{\\partial\\, \\mathrm{mean}(x)}{\\partial x_i} = \\frac{1}{n}")
                        .inputs("x").hand((g, s) -> new HandStep[] {HandStep.of(0, spread(g, f, shape).mul(1.0 / count))
                                .expression("G / n copied to every averaged element", "G / n")
                                .scale(1.0 / count, "1/n, mean over n = " + count + " elements", "\\frac{1}{n},\\ n = " + count).build()}),
                inputs(x), saved(),
                (g, s) -> grads(unsqueezeReduced(g, f, keepdim).expand(shape).div(count)));
    }

    /** By hand: the gradient of a reduction copied back over the reduced dimensions of {@code shape}. */
    private static NdArray spread(NdArray g, boolean[] reduced, int[] shape) {
        int[] kept = shape.clone();
        for (int d = 0; d < kept.length; d++) {
            if (reduced[d]) {
                kept[d] = 1;
            }
        }
        return g.reshape(kept).broadcastTo(shape);
    }

    /** Max (or min) of all elements; ties share the gradient evenly, as PyTorch's max(). */
    public static Tensor maxAll(Tensor x, boolean max) {
        if (x.numel() == 0) {
            throw new IllegalArgumentException((max ? "max" : "min") + "(): Expected reduction dim to be specified for "
                    + "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }
        Tensor flat = x.reshape(-1).detach();
        Tensor y = Kernels.maxMin(flat, 0, false, max)[0];
        return record(y, max ? "MaxBackward1" : "MinBackward1", "the maximal elements share the gradient",
                inputs(x), saved(x, y), (g, s) -> {
                    Tensor mask = s[0].eq(s[1]);
                    Tensor count = mask.sum().to(g.dtype());
                    return grads(Tensor.where(mask, g.div(count), g.mul(0.0)));
                });
    }

    /** Values and int64 indices of the max (or min) over {@code dim}; the gradient goes to the selected element. */
    public static Tensor[] maxDim(Tensor x, int dim, boolean keepdim, boolean max) {
        int d = Shapes.wrapDim(dim, x.dim());
        if (x.dim() > 0 && x.size(d) == 0) {
            throw new IllegalArgumentException((max ? "max" : "min") + "(): Expected reduction dim " + d + " to have non-zero size.");
        }
        Tensor[] vi = Kernels.maxMin(x, d, keepdim, max);
        int[] shape = x.shape();
        Tensor idx = vi[1];
        record(vi[0], max ? "MaxBackward0" : "MinBackward0", "only the selected element gets the gradient",
                inputs(x), saved(idx), (g, s) -> {
                    if (shape.length == 0) {
                        return grads(g);
                    }
                    Tensor gi = keepdim ? g : g.unsqueeze(d);
                    Tensor ii = keepdim ? s[0] : s[0].unsqueeze(d);
                    return grads(Indexing.scatterAdd(shape, gi.dtype(), d, ii, gi));
                });
        return vi;
    }

    public static Tensor argmax(Tensor x, Integer dim, boolean keepdim, boolean max) {
        if (dim == null) {
            return Kernels.maxMin(x.reshape(-1).detach(), 0, false, max)[1];
        }
        return Kernels.maxMin(x.detach(), Shapes.wrapDim(dim, x.dim()), keepdim, max)[1];
    }

    public static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        boolean[] f = flags(x, dims);
        Tensor y = Kernels.logsumexp(Pointwise.floating(x), f, keepdim);
        return record(y, "LogsumexpBackward0", "∂LSE/∂xᵢ = exp(xᵢ − LSE) = softmax(x)ᵢ", inputs(x), saved(x, y),
                (g, s) -> grads(unsqueezeReduced(g, f, keepdim).mul(s[0].sub(unsqueezeReduced(s[1], f, keepdim)).exp())));
    }

    /** Sums {@code x} down to {@code shape}, undoing a broadcast (leading dims and size-1 dims). */
    public static Tensor sumToSize(Tensor x, int[] shape) {
        int[] xs = x.shape();
        int lead = xs.length - shape.length;
        int count = 0;
        int[] dims = new int[xs.length];
        for (int d = 0; d < xs.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && xs[d] != 1)) {
                dims[count++] = d;
            }
        }
        Tensor r = x;
        if (count > 0) {
            r = x.sum(java.util.Arrays.copyOf(dims, count), true);
        }
        return lead > 0 || count > 0 ? r.reshape(shape) : r;
    }
}
