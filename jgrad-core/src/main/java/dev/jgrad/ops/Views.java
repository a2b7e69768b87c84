package dev.jgrad.ops;

import static dev.jgrad.autograd.Graph.grads;
import static dev.jgrad.autograd.Graph.inputs;
import static dev.jgrad.autograd.Graph.record;
import static dev.jgrad.autograd.Graph.saved;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.Derivative;
import dev.jgrad.hand.HandRules;
import dev.jgrad.hand.HandStep;
import dev.jgrad.hand.NdArray;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.storage.Shapes;

/**
 * Ops that change how elements are indexed: views sharing storage (view, transpose, permute,
 * expand, squeeze, unsqueeze, narrow, select) and the copies reshape, contiguous, clone, to.
 */
public final class Views {
    private static final Derivative IDENTITY = Derivative.of("identity: ∂J/∂x = G", "\\frac{\\partial J}{\\partial x} = G")
            .inputs("x").hand(HandRules.identity(1));

    /** The derivative of ops that only reshape: the gradient is reshaped back to {@code in}. */
    private static Derivative reshapeBack(int[] in) {
        return Derivative.of("reshape the gradient back to x's shape", "\\frac{\\partial J}{\\partial x} = \\mathrm{reshape}(G)").inputs("x").hand(HandRules.reshapeTo(in));
    }

    private Views() {
    }

    /** A view with the given shape; fails if the strides cannot express it, as PyTorch's view. */
    public static Tensor view(Tensor x, int[] requested) {
        return view(x, requested, "ViewBackward0");
    }

    /**
     * A view of a contiguous result reshaped to {@code shape} (PyTorch's {@code _unsafe_view},
     * UnsafeViewBackward0), as ATen ends reshape copies and batched matmul.
     */
    public static Tensor unsafeView(Tensor x, int[] shape) {
        return view(x, shape, "UnsafeViewBackward0");
    }

    private static Tensor view(Tensor x, int[] requested, String name) {
        int[] shape = Shapes.inferSize(requested, x.numel());
        int[] strides = viewStrides(x.shape(), x.stride(), shape);
        if (strides == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at least one "
                    + "dimension spans across two contiguous subspaces). Use .reshape(...) instead. (view " + Shapes.format(x.shape())
                    + " as " + Shapes.format(shape) + ")");
        }
        int[] in = x.shape();
        return record(x.stridedView(shape, strides, x.storageOffset()), name, reshapeBack(in),
                inputs(x), saved(), (g, s) -> grads(g.reshape(in)));
    }

    /**
     * A view when the strides allow it, else a contiguous copy reshaped; as PyTorch 1.13 the
     * view is named ReshapeAliasBackward0 ({@code _reshape_alias}) and the copy
     * UnsafeViewBackward0 over CloneBackward0 ({@code _unsafe_view(clone)}).
     */
    public static Tensor reshape(Tensor x, int[] requested) {
        int[] shape = Shapes.inferSize(requested, x.numel());
        if (viewStrides(x.shape(), x.stride(), shape) != null) {
            return view(x, shape, "ReshapeAliasBackward0");
        }
        return unsafeView(clone(x), shape);
    }

    /** PyTorch's computeStride: strides for viewing (oldShape, oldStrides) as newShape, or null. */
    static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        int[] newStrides = new int[newShape.length];
        if (Shapes.numel(oldShape) == 0) {
            return Shapes.contiguousStrides(newShape);
        }
        if (oldShape.length == 0) {
            // a 0-d tensor views as any shape of one element (PyTorch's computeStride)
            int[] ones = new int[newShape.length];
            java.util.Arrays.fill(ones, 1);
            return ones;
        }
        int viewD = newShape.length - 1;
        int chunkBase = oldStrides.length == 0 ? 1 : oldStrides[oldStrides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            tensorNumel *= oldShape[d];
            if (d == 0 || (oldShape[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = oldStrides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            return null;
        }
        return newStrides;
    }

    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        if (x.dim() == 0) {
            return reshape(x, new int[] {1});
        }
        int s = Shapes.wrapDim(startDim, x.dim());
        int e = Shapes.wrapDim(endDim, x.dim());
        if (s > e) {
            throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        }
        if (s == e) {
            return x;
        }
        int[] shape = x.shape();
        int[] out = new int[shape.length - (e - s)];
        int k = 0;
        for (int d = 0; d < s; d++) {
            out[k++] = shape[d];
        }
        int prod = 1;
        for (int d = s; d <= e; d++) {
            prod *= shape[d];
        }
        out[k++] = prod;
        for (int d = e + 1; d < shape.length; d++) {
            out[k++] = shape[d];
        }
        return reshape(x, out);
    }

    public static Tensor transpose(Tensor x, int d0, int d1) {
        if (x.dim() == 0) {
            Shapes.wrapDim(d0, 0);
            Shapes.wrapDim(d1, 0);
            return record(x.stridedView(x.shape(), x.stride(), x.storageOffset()), "TransposeBackward0", IDENTITY,
                    inputs(x), saved(), (g, s) -> grads(g));
        }
        int a = Shapes.wrapDim(d0, x.dim());
        int b = Shapes.wrapDim(d1, x.dim());
        int[] shape = x.shape();
        int[] strides = x.stride();
        swap(shape, a, b);
        swap(strides, a, b);
        return record(x.stridedView(shape, strides, x.storageOffset()), "TransposeBackward0",
                Derivative.of("transpose the gradient back: ∂J/∂x = Gᵀ", "\\frac{\\partial J}{\\partial x} = G^\\top")
                        .inputs("x").hand(HandRules.transpose(a, b)),
                inputs(x), saved(), (g, s) -> grads(g.transpose(a, b)));
    }

    /** The transpose of a tensor of at most 2 dimensions (PyTorch's {@code t()}). */
    public static Tensor t(Tensor x) {
        if (x.dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + x.dim() + "D");
        }
        if (x.dim() < 2) {
            return record(x.stridedView(x.shape(), x.stride(), x.storageOffset()), "TBackward0", IDENTITY,
                    inputs(x), saved(), (g, s) -> grads(g));
        }
        int[] sh = x.shapeRef();
        int[] st = x.strideRef();
        return record(x.stridedView(new int[] {sh[1], sh[0]}, new int[] {st[1], st[0]}, x.storageOffset()), "TBackward0",
                T, inputs(x), saved(), T_BACKWARD);
    }

    private static final Derivative T = Derivative.of("y = xᵀ: transpose the gradient back, ∂J/∂x = Gᵀ",
            "y = x^\\top:\\quad \\frac{\\partial J}{\\partial x} = G^\\top").inputs("x").hand(HandRules.transpose(0, 1));
    private static final dev.jgrad.autograd.BackwardFn T_BACKWARD = (g, s) -> grads(g.t());

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    public static Tensor permute(Tensor x, int[] dims) {
        int n = x.dim();
        if (dims.length != n) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not match the "
                    + "length of the desired ordering of dimensions i.e. input.dim() = " + n + " is not equal to len(dims) = " + dims.length);
        }
        int[] shape = new int[n];
        int[] strides = new int[n];
        int[] inverse = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int d = Shapes.wrapDim(dims[i], n);
            if (seen[d]) {
                throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            }
            seen[d] = true;
            shape[i] = x.size(d);
            strides[i] = x.stride(d);
            inverse[d] = i;
        }
        return record(x.stridedView(shape, strides, x.storageOffset()), "PermuteBackward0", "permute the gradient back",
                inputs(x), saved(), (g, s) -> grads(g.permute(inverse)));
    }

    /** A view with size-1 (or new leading) dimensions repeated by stride 0; -1 keeps a size. */
    public static Tensor expand(Tensor x, int[] sizes) {
        int n = sizes.length;
        int lead = n - x.dim();
        if (lead < 0) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + n + ") must be greater or equal to the "
                    + "number of dimensions in the tensor (" + x.dim() + ")");
        }
        int[] shape = new int[n];
        int[] strides = new int[n];
        for (int d = n - 1; d >= 0; d--) {
            int xd = d - lead;
            int want = sizes[d];
            if (xd < 0) {
                if (want < 0) {
                    throw new IllegalArgumentException("expand: -1 is not allowed in a leading, non-existing dimension " + d);
                }
                shape[d] = want;
                strides[d] = 0;
            } else {
                int have = x.size(xd);
                if (want == -1) {
                    want = have;
                }
                if (have != want && have != 1) {
                    throw new IllegalArgumentException("The expanded size of the tensor (" + want + ") must match the existing size ("
                            + have + ") at non-singleton dimension " + d + ".  Target sizes: " + Shapes.format(sizes)
                            + ".  Tensor sizes: " + Shapes.format(x.shape()));
                }
                shape[d] = want;
                strides[d] = have == want ? x.stride(xd) : 0;
            }
        }
        // the engine sums the gradient back to the input's shape
        return record(x.stridedView(shape, strides, x.storageOffset()), "ExpandBackward0",
                Derivative.of("sum the gradient over the expanded dimensions", "\\frac{\\partial J}{\\partial x} = \\textstyle\\sum_{\\text{expanded}} G")
                        .inputs("x").hand(HandRules.identity(1)),
                inputs(x), saved(), (g, s) -> grads(g));
    }

    public static Tensor squeeze(Tensor x, Integer dim) {
        return squeeze(x, dim, dim == null ? "SqueezeBackward0" : "SqueezeBackward1");
    }

    /** squeeze recorded under another name (ATen's in-place {@code squeeze_(dim)} is SqueezeBackward3). */
    static Tensor squeeze(Tensor x, Integer dim, String name) {
        int[] shape = x.shape();
        int[] strides = x.stride();
        int[] in = x.shape();
        int keep = 0;
        int wd = dim == null ? -1 : Shapes.wrapDim(dim, x.dim());
        int[] ns = new int[shape.length];
        int[] nt = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            boolean drop = shape[d] == 1 && (dim == null || d == wd);
            if (!drop) {
                ns[keep] = shape[d];
                nt[keep++] = strides[d];
            }
        }
        return record(x.stridedView(java.util.Arrays.copyOf(ns, keep), java.util.Arrays.copyOf(nt, keep), x.storageOffset()),
                name, reshapeBack(in),
                inputs(x), saved(), (g, s) -> grads(g.reshape(in)));
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        int d = Shapes.wrapDim(dim, x.dim() + 1);
        int[] shape = x.shape();
        int[] strides = x.stride();
        int[] ns = new int[shape.length + 1];
        int[] nt = new int[shape.length + 1];
        for (int i = 0, k = 0; i < ns.length; i++) {
            if (i == d) {
                ns[i] = 1;
                nt[i] = k < shape.length ? strides[k] * shape[k] : 1;
            } else {
                ns[i] = shape[k];
                nt[i] = strides[k++];
            }
        }
        return record(x.stridedView(ns, nt, x.storageOffset()), "UnsqueezeBackward0",
                Derivative.of("squeeze the gradient back", "\\frac{\\partial J}{\\partial x} = \\mathrm{squeeze}(G)").inputs("x").hand(HandRules.reshapeTo(shape)),
                inputs(x), saved(), (g, s) -> grads(g.squeeze(d)));
    }

    /** Elements {@code start .. start+length-1} along {@code dim}, as a view. */
    public static Tensor narrow(Tensor x, int dim, int start, int length, String name) {
        int d = Shapes.wrapDim(dim, x.dim());
        int size = x.size(d);
        if (start < 0) {
            start += size;
        }
        if (start < 0 || length < 0 || start + length > size) {
            throw new IndexOutOfBoundsException("start (" + start + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        }
        int[] shape = x.shape();
        shape[d] = length;
        int[] in = x.shape();
        int st = start;
        return record(x.stridedView(shape, x.stride(), x.storageOffset() + start * x.stride(d)), name,
                "the gradient goes back into the selected slice, zeros elsewhere", inputs(x), saved(),
                (g, s) -> grads(padSlice(g, in, d, st)));
    }

    /** Slice {@code index} of {@code dim}, removing the dimension. */
    public static Tensor select(Tensor x, int dim, int index) {
        int d = Shapes.wrapDim(dim, x.dim());
        int size = x.size(d);
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + d + " with size " + size);
        }
        int i = index < 0 ? index + size : index;
        int[] shape = x.shape();
        int[] strides = x.stride();
        int[] ns = new int[shape.length - 1];
        int[] nt = new int[shape.length - 1];
        for (int a = 0, k = 0; a < shape.length; a++) {
            if (a != d) {
                ns[k] = shape[a];
                nt[k++] = strides[a];
            }
        }
        int[] in = x.shape();
        return record(x.stridedView(ns, nt, x.storageOffset() + i * strides[d]), "SelectBackward0",
                "the gradient goes back into the selected slice, zeros elsewhere", inputs(x), saved(),
                (g, s) -> grads(padSlice(g.unsqueeze(d), in, d, i)));
    }

    /** Places g (a slice of {@code shape} at {@code start} along {@code dim}) into zeros, differentiably. */
    static Tensor padSlice(Tensor g, int[] shape, int dim, int start) {
        int len = g.size(dim);
        int after = shape[dim] - start - len;
        java.util.List<Tensor> parts = new java.util.ArrayList<>();
        if (start > 0) {
            int[] s = shape.clone();
            s[dim] = start;
            parts.add(Tensor.zeros(g.dtype(), s));
        }
        parts.add(g);
        if (after > 0) {
            int[] s = shape.clone();
            s[dim] = after;
            parts.add(Tensor.zeros(g.dtype(), s));
        }
        return parts.size() == 1 ? g : Joining.cat(parts, dim);
    }

    /** A contiguous copy (CloneBackward0). */
    public static Tensor clone(Tensor x) {
        return record(Kernels.copyAs(x, x.dtype()), "CloneBackward0", IDENTITY,
                inputs(x), saved(), (g, s) -> grads(g));
    }

    /** x itself if contiguous, else a contiguous copy. */
    public static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : clone(x);
    }

    /** A copy converted to {@code dtype} (ToCopyBackward0); x itself when the dtype already matches. */
    public static Tensor to(Tensor x, DType dtype) {
        if (x.dtype() == dtype) {
            return x;
        }
        DType from = x.dtype();
        Tensor y = Kernels.copyAs(x, dtype);
        if (!dtype.isFloatingPoint()) {
            return y;
        }
        return record(y, "ToCopyBackward0", Derivative.of("identity, cast back to x's dtype", "\\frac{\\partial J}{\\partial x} = G").inputs("x").hand(HandRules.identity(1)), inputs(x), saved(), (g, s) -> grads(g.to(from)));
    }
}
