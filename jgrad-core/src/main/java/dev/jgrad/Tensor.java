package dev.jgrad;

import dev.jgrad.autograd.Autograd;
import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Node;
import dev.jgrad.kernel.BinaryOp;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.ops.Activations;
import dev.jgrad.ops.Indexing;
import dev.jgrad.ops.Joining;
import dev.jgrad.ops.LinearAlgebra;
import dev.jgrad.ops.Pointwise;
import dev.jgrad.ops.Reductions;
import dev.jgrad.ops.Views;
import dev.jgrad.storage.Shapes;
import dev.jgrad.storage.Storage;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array of float32, float64, int64 or bool elements, with PyTorch's eager
 * autograd: operations on tensors that require grad record a graph, and {@link #backward()}
 * fills the {@code grad} of the leaves.
 *
 * <p>Storage is row-major with strides: {@code transpose}, {@code permute}, {@code expand},
 * {@code view}, {@code narrow} and {@code select} return views sharing storage. Binary ops
 * broadcast as PyTorch does. Method names follow PyTorch in camelCase; in-place variants end in
 * {@code _}.
 * <pre>{@code
 * Tensor w = Jgrad.tensor(new double[][] {{1, 2}, {3, 4}}).requiresGrad_(true);
 * Tensor loss = w.mul(w).sum(); loss.backward(); // w.grad() == 2w
 * }</pre>
 */
public class Tensor {
    private final Storage storage;
    private final int offset;
    private final int[] shape;
    private final int[] strides;
    private final Tensor base;
    private final int numel;
    /** 0: not yet known, 1: contiguous, 2: not contiguous. */
    private byte contiguity;

    private boolean requiresGrad;
    private Node gradFn;
    private Node gradAccumulator;
    private Tensor grad;
    private boolean retainsGrad;

    /** A tensor over {@code storage} (internal; use {@link Jgrad}'s factories). */
    protected Tensor(Storage storage, int offset, int[] shape, int[] strides, Tensor base) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.base = base;
        this.numel = Shapes.numel(shape);
    }

    /** A new contiguous tensor of numel elements over fresh storage (numel already checked). */
    private Tensor(Storage storage, int[] shape, int numel) {
        this.storage = storage;
        this.offset = 0;
        this.shape = shape;
        this.strides = Shapes.contiguousStrides(shape);
        this.base = null;
        this.numel = numel;
        this.contiguity = 1;
    }

    /** A tensor sharing {@code data}'s storage and view, without its autograd history (for subclasses such as Parameter). */
    protected Tensor(Tensor data) {
        this(data.storage, data.offset, data.shape, data.strides, data.base);
    }

    // ------------------------------------------------------------------ creation (internal helpers)

    /** A new zero-filled contiguous tensor. */
    public static Tensor empty(DType dtype, int... shape) {
        return emptyShared(dtype, shape.clone());
    }

    /**
     * Internal: as {@link #empty}, keeping {@code shape} itself, which must never be modified
     * afterwards (another tensor's {@code shapeRef()} or a new array): kernels make their outputs so.
     */
    public static Tensor emptyShared(DType dtype, int[] shape) {
        int numel = Shapes.numel(shape);
        return new Tensor(Storage.allocate(dtype, numel), shape, numel);
    }

    /** A new zero tensor. */
    public static Tensor zeros(DType dtype, int... shape) {
        return empty(dtype, shape);
    }

    /** A 0-dimensional tensor. */
    public static Tensor scalar(double value, DType dtype) {
        Tensor t = empty(dtype);
        t.storage.set(0, value);
        return t;
    }

    /** A float64 tensor with the given values (row-major) and shape. */
    public static Tensor fromDoubles(double[] values, int... shape) {
        checkCount(values.length, shape);
        return new Tensor(Storage.of(values.clone()), 0, shape.clone(), Shapes.contiguousStrides(shape), null);
    }

    /** A float32 tensor with the given values (row-major) and shape. */
    public static Tensor fromFloats(float[] values, int... shape) {
        checkCount(values.length, shape);
        return new Tensor(Storage.of(values.clone()), 0, shape.clone(), Shapes.contiguousStrides(shape), null);
    }

    /** An int64 tensor with the given values (row-major) and shape. */
    public static Tensor fromLongs(long[] values, int... shape) {
        checkCount(values.length, shape);
        return new Tensor(Storage.of(values.clone()), 0, shape.clone(), Shapes.contiguousStrides(shape), null);
    }

    /** A bool tensor with the given values (row-major) and shape. */
    public static Tensor fromBooleans(boolean[] values, int... shape) {
        checkCount(values.length, shape);
        return new Tensor(Storage.of(values.clone()), 0, shape.clone(), Shapes.contiguousStrides(shape), null);
    }

    private static void checkCount(int n, int[] shape) {
        if (Shapes.numel(shape) != n) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " is invalid for input of size " + n);
        }
    }

    /** Ones with the shape and dtype of {@code t}. */
    public static Tensor onesLike(Tensor t) {
        Tensor o = empty(t.dtype(), t.shape);
        Kernels.fill(o, 1.0);
        return o;
    }

    /** {@code cond ? a : b} element-wise, broadcasting all three (torch.where). */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Pointwise.where(cond, a, b);
    }

    // ------------------------------------------------------------------ metadata

    /** The sizes of each dimension (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Same as {@link #shape()} (PyTorch's {@code size()}). */
    public int[] size() {
        return shape.clone();
    }

    /** The size of dimension {@code dim} (negative counts from the end). */
    public int size(int dim) {
        return shape[Shapes.wrapDim(dim, shape.length)];
    }

    /** The strides, in elements (a copy). */
    public int[] stride() {
        return strides.clone();
    }

    public int stride(int dim) {
        return strides[Shapes.wrapDim(dim, shape.length)];
    }

    public int storageOffset() {
        return offset;
    }

    /** The storage shared by this tensor and its views (internal). */
    public Storage storage() {
        return storage;
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return numel;
    }

    /**
     * Internal, for kernels: the shape array itself, not a copy. Never modify it (tensors share
     * their shape arrays with views).
     */
    public int[] shapeRef() {
        return shape;
    }

    /** Internal, for kernels: the strides array itself, not a copy. Never modify it. */
    public int[] strideRef() {
        return strides;
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** True if the elements are laid out row-major without gaps. */
    public boolean isContiguous() {
        byte c = contiguity;
        if (c == 0) {
            c = computeContiguous() ? (byte) 1 : (byte) 2;
            contiguity = c;
        }
        return c == 1;
    }

    private boolean computeContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** True if this tensor is a view of another tensor's storage. */
    public boolean isView() {
        return base != null;
    }

    /** The version counter of the storage: counts in-place modifications. */
    public int storageVersion() {
        return storage.version();
    }

    /** PyTorch's legacy type name, e.g. {@code torch.FloatTensor}. */
    public String typeName() {
        switch (dtype()) {
            case FLOAT32: return "torch.FloatTensor";
            case FLOAT64: return "torch.DoubleTensor";
            case INT64: return "torch.LongTensor";
            default: return "torch.BoolTensor";
        }
    }

    public String shapeString() {
        return Shapes.format(shape);
    }

    // ------------------------------------------------------------------ values

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("only one element tensors can be converted to Python scalars (this one has "
                    + numel() + " elements)");
        }
        return storage.get(offset);
    }

    /** The element at the given indices. */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("expected " + shape.length + " indices, got " + index.length);
        }
        int off = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + index[d] + " is out of bounds for dimension " + d + " with size " + shape[d]);
            }
            off += i * strides[d];
        }
        return storage.get(off);
    }

    /** All elements as doubles, row-major. */
    public double[] toDoubleArray() {
        return Kernels.toDoubles(this);
    }

    /** All elements as floats, row-major. */
    public float[] toFloatArray() {
        double[] d = toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** All elements as longs, row-major; int64 elements exactly (not through double). */
    public long[] toLongArray() {
        if (dtype() == DType.INT64) {
            long[] data = storage.longs();
            int[] off = Kernels.offsets(this);
            long[] out = new long[off.length];
            for (int i = 0; i < off.length; i++) {
                out[i] = data[off[i]];
            }
            return out;
        }
        double[] d = toDoubleArray();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
        }
        return l;
    }

    // ------------------------------------------------------------------ autograd

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Sets requires_grad on a leaf; only floating-point tensors can require gradients. Returns this. */
    public Tensor requiresGrad_(boolean value) {
        if (value && !dtype().isFloatingPoint()) {
            throw new IllegalStateException("only Tensors of floating point dtype can require gradients");
        }
        if (!value && gradFn != null) {
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to use a "
                    + "computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
        }
        requiresGrad = value;
        return this;
    }

    /** Shorthand for {@code requiresGrad_(true)}. */
    public Tensor requiresGrad_() {
        return requiresGrad_(true);
    }

    /** The accumulated gradient, or null (always null for non-leaves that do not {@link #retainGrad()}). */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it); the shape must match. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("assigned grad has data of a different size: " + Shapes.format(g.shape)
                    + " vs " + Shapes.format(shape));
        }
        if (g != null && g.dtype() != dtype()) {
            throw new IllegalArgumentException("assigned grad has data of a different type");
        }
        grad = g;
    }

    /** The backward node that produced this tensor, or null for leaves. */
    public Node gradFn() {
        return gradFn;
    }

    /** True for tensors created by the user rather than by a recorded op. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Keeps the gradient of this non-leaf tensor in {@link #grad()} after backward. */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        }
        if (gradFn != null && !retainsGrad) {
            retainsGrad = true;
            gradFn.retain(this);
        }
        return this;
    }

    public boolean retainsGrad() {
        return retainsGrad;
    }

    /** Backpropagates from this scalar: leaves' {@code grad} accumulate d(this)/d(leaf). */
    public void backward() {
        backward(null, false, false);
    }

    /** Backpropagates {@code gradient} (same shape as this). */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    /**
     * Backpropagates; {@code retainGraph} keeps saved tensors for another backward,
     * {@code createGraph} records the backward itself for higher derivatives.
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(new Tensor[] {this}, new Tensor[] {gradient}, retainGraph || createGraph, createGraph);
    }

    /** A tensor sharing storage, cut from the graph (requires_grad false). */
    public Tensor detach() {
        return new Tensor(storage, offset, shape, strides, base);
    }

    /** Internal: the node gradients flow into (grad_fn, or the leaf's AccumulateGrad). */
    public Node gradEdge() {
        if (gradFn != null) {
            return gradFn;
        }
        if (gradAccumulator == null) {
            gradAccumulator = Node.accumulateGrad(this);
        }
        return gradAccumulator;
    }

    /** Internal: makes this tensor the output of {@code node}. */
    public void attachGradFn(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    /** Internal: adds {@code g} to {@link #grad()} as AccumulateGrad does. */
    public void accumulateGrad(Tensor g, boolean createGraph) {
        accumulateGrad(g, createGraph, false);
    }

    /**
     * Internal: as {@link #accumulateGrad(Tensor, boolean)}; with {@code owned} the caller gives
     * {@code g} away (a buffer nothing else refers to) and it becomes the gradient without a copy
     * when there is none yet, as PyTorch's AccumulateGrad steals a gradient no one else holds.
     */
    public void accumulateGrad(Tensor g, boolean createGraph, boolean owned) {
        if (grad == null) {
            if (createGraph) {
                grad = g;
            } else if (owned && g.dtype() == dtype() && Arrays.equals(g.shape, shape)) {
                // the whole storage, contiguous: a plain tensor over it (not a view)
                grad = g.isView() ? new Tensor(g.storage, 0, g.shape, g.strides, null) : g;
            } else {
                grad = Kernels.copyAs(g, dtype());
            }
        } else if (createGraph) {
            grad = grad.add(g);
        } else {
            Kernels.copyInto(grad, Kernels.binary(BinaryOp.ADD, grad, g, grad.dtype()));
            grad.storage.bumpVersion();
        }
    }

    // ------------------------------------------------------------------ views without autograd (internal)

    /**
     * Internal: a view with explicit geometry, not recorded. The arrays are taken, not copied
     * (shape and stride arrays are never modified once a tensor has them).
     */
    public Tensor stridedView(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(storage, newOffset, newShape, newStrides, base == null ? this : base);
    }

    /** Internal: unsqueeze without recording. */
    public Tensor unsqueezeView(int dim) {
        return Views.unsqueeze(detach(), dim);
    }

    /** Internal: squeeze of one dimension without recording. */
    public Tensor squeezeView(int dim) {
        return Views.squeeze(detach(), dim);
    }

    /** Internal: narrow without recording. */
    public Tensor narrowView(int dim, int start, int length) {
        int[] s = shape.clone();
        s[dim] = length;
        return stridedView(s, strides, offset + start * strides[dim]);
    }

    /** A contiguous copy of the values, outside the graph. */
    public Tensor cloneData() {
        return Kernels.copyAs(this, dtype());
    }

    // ------------------------------------------------------------------ pointwise

    public Tensor add(Tensor other) { return Pointwise.add(this, other, 1.0); }
    /** this + alpha · other. */
    public Tensor add(Tensor other, double alpha) { return Pointwise.add(this, other, alpha); }
    public Tensor add(double c) { return Pointwise.scalarOp(this, c, BinaryOp.ADD, false); }
    public Tensor sub(Tensor other) { return Pointwise.sub(this, other, 1.0); }
    /** this − alpha · other. */
    public Tensor sub(Tensor other, double alpha) { return Pointwise.sub(this, other, alpha); }
    public Tensor sub(double c) { return Pointwise.scalarOp(this, c, BinaryOp.SUB, false); }
    /** c − this (PyTorch's rsub). */
    public Tensor rsub(double c) { return Pointwise.scalarOp(this, c, BinaryOp.SUB, true); }
    public Tensor mul(Tensor other) { return Pointwise.mul(this, other); }
    public Tensor mul(double c) { return Pointwise.scalarOp(this, c, BinaryOp.MUL, false); }
    public Tensor div(Tensor other) { return Pointwise.div(this, other); }
    public Tensor div(double c) { return Pointwise.scalarOp(this, c, BinaryOp.DIV, false); }
    /** c / this. */
    public Tensor rdiv(double c) { return Pointwise.scalarOp(this, c, BinaryOp.DIV, true); }
    public Tensor pow(Tensor exponent) { return Pointwise.pow(this, exponent); }
    public Tensor pow(double exponent) { return Pointwise.scalarOp(this, exponent, BinaryOp.POW, false); }
    /** c ^ this. */
    public Tensor rpow(double c) { return Pointwise.scalarOp(this, c, BinaryOp.POW, true); }
    public Tensor neg() { return Pointwise.neg(this); }
    public Tensor exp() { return Pointwise.exp(this); }
    public Tensor log() { return Pointwise.log(this); }
    public Tensor log1p() { return Pointwise.log1p(this); }
    public Tensor sqrt() { return Pointwise.sqrt(this); }
    public Tensor abs() { return Pointwise.abs(this); }
    public Tensor sign() { return Pointwise.sign(this); }
    public Tensor sin() { return Pointwise.sin(this); }
    public Tensor cos() { return Pointwise.cos(this); }
    public Tensor tanh() { return Pointwise.tanh(this); }
    public Tensor sigmoid() { return Pointwise.sigmoid(this); }
    public Tensor relu() { return Pointwise.relu(this); }
    /** Clamps to [min, max]; pass {@code Double.NaN} for no bound. */
    public Tensor clamp(double min, double max) { return Pointwise.clamp(this, min, max); }
    public Tensor clampMin(double min) { return Pointwise.clamp(this, min, Double.NaN); }
    public Tensor clampMax(double max) { return Pointwise.clamp(this, Double.NaN, max); }
    public Tensor maximum(Tensor other) { return Pointwise.maximum(this, other); }
    public Tensor minimum(Tensor other) { return Pointwise.minimum(this, other); }
    /** this where {@code mask} is false, {@code value} where it is true. */
    public Tensor maskedFill(Tensor mask, double value) { return Pointwise.maskedFill(this, mask, value); }

    // ------------------------------------------------------------------ comparisons and logic (no grad)

    public Tensor eq(Tensor o) { return compare(o, BinaryOp.EQ); }
    public Tensor ne(Tensor o) { return compare(o, BinaryOp.NE); }
    public Tensor lt(Tensor o) { return compare(o, BinaryOp.LT); }
    public Tensor le(Tensor o) { return compare(o, BinaryOp.LE); }
    public Tensor gt(Tensor o) { return compare(o, BinaryOp.GT); }
    public Tensor ge(Tensor o) { return compare(o, BinaryOp.GE); }
    public Tensor eq(double c) { return compare(c, BinaryOp.EQ); }
    public Tensor ne(double c) { return compare(c, BinaryOp.NE); }
    public Tensor lt(double c) { return compare(c, BinaryOp.LT); }
    public Tensor le(double c) { return compare(c, BinaryOp.LE); }
    public Tensor gt(double c) { return compare(c, BinaryOp.GT); }
    public Tensor ge(double c) { return compare(c, BinaryOp.GE); }

    private Tensor compare(Tensor o, BinaryOp op) {
        return Kernels.binary(op, this, o, DType.resultType(this, o));
    }

    private Tensor compare(double c, BinaryOp op) {
        return Kernels.binaryScalar(op, this, c, false, dtype() == DType.FLOAT32 ? DType.FLOAT32 : DType.FLOAT64);
    }

    public Tensor logicalNot() {
        return Kernels.binaryScalar(BinaryOp.EQ, this, 0.0, false, DType.FLOAT64);
    }

    public Tensor logicalAnd(Tensor o) {
        return Kernels.where(this.ne(0.0), o.ne(0.0), Tensor.scalar(0, DType.BOOL), DType.BOOL);
    }

    public Tensor logicalOr(Tensor o) {
        return Kernels.where(this.ne(0.0), Tensor.scalar(1, DType.BOOL), o.ne(0.0), DType.BOOL);
    }

    /** True if every element equals the other's (shapes must match). */
    public boolean equal(Tensor o) {
        return Arrays.equals(shape, o.shape) && Arrays.equals(toDoubleArray(), o.toDoubleArray());
    }

    // ------------------------------------------------------------------ reductions

    public Tensor sum() { return Reductions.sum(this, null, false); }
    public Tensor sum(int dim) { return Reductions.sum(this, new int[] {dim}, false); }
    public Tensor sum(int dim, boolean keepdim) { return Reductions.sum(this, new int[] {dim}, keepdim); }
    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim); }
    public Tensor mean() { return Reductions.mean(this, null, false); }
    public Tensor mean(int dim) { return Reductions.mean(this, new int[] {dim}, false); }
    public Tensor mean(int dim, boolean keepdim) { return Reductions.mean(this, new int[] {dim}, keepdim); }
    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }
    /** The largest element. */
    public Tensor max() { return Reductions.maxAll(this, true); }
    /** The smallest element. */
    public Tensor min() { return Reductions.maxAll(this, false); }
    /** Values and indices of the maxima over {@code dim}. */
    public ValuesIndices max(int dim, boolean keepdim) { return new ValuesIndices(Reductions.maxDim(this, dim, keepdim, true)); }
    public ValuesIndices max(int dim) { return max(dim, false); }
    /** Values and indices of the minima over {@code dim}. */
    public ValuesIndices min(int dim, boolean keepdim) { return new ValuesIndices(Reductions.maxDim(this, dim, keepdim, false)); }
    public ValuesIndices min(int dim) { return min(dim, false); }
    /** Index of the largest element of the flattened tensor. */
    public Tensor argmax() { return Reductions.argmax(this, null, false, true); }
    public Tensor argmax(int dim, boolean keepdim) { return Reductions.argmax(this, dim, keepdim, true); }
    public Tensor argmin() { return Reductions.argmax(this, null, false, false); }
    public Tensor argmin(int dim, boolean keepdim) { return Reductions.argmax(this, dim, keepdim, false); }
    public Tensor logsumexp(int dim, boolean keepdim) { return Reductions.logsumexp(this, new int[] {dim}, keepdim); }
    public Tensor logsumexp(int[] dims, boolean keepdim) { return Reductions.logsumexp(this, dims, keepdim); }
    /** Sums this down to {@code shape}, undoing a broadcast. */
    public Tensor sumToSize(int... shape) { return Reductions.sumToSize(this, shape); }

    /** The result of max/min over a dimension: values and their int64 indices. */
    public static final class ValuesIndices {
        private final Tensor values;
        private final Tensor indices;

        ValuesIndices(Tensor[] vi) {
            this.values = vi[0];
            this.indices = vi[1];
        }

        public Tensor values() {
            return values;
        }

        public Tensor indices() {
            return indices;
        }

        @Override
        public String toString() {
            return "torch.return_types.max(\nvalues=" + values + ",\nindices=" + indices + ")";
        }
    }

    // ------------------------------------------------------------------ shape

    public Tensor view(int... shape) { return Views.view(this, shape); }
    public Tensor reshape(int... shape) { return Views.reshape(this, shape); }
    public Tensor flatten() { return Views.flatten(this, 0, -1); }
    public Tensor flatten(int startDim, int endDim) { return Views.flatten(this, startDim, endDim); }
    public Tensor squeeze() { return Views.squeeze(this, null); }
    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }
    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }
    public Tensor transpose(int dim0, int dim1) { return Views.transpose(this, dim0, dim1); }
    /** Transpose of a matrix (at most 2-D). */
    public Tensor t() { return Views.t(this); }
    public Tensor permute(int... dims) { return Views.permute(this, dims); }
    public Tensor expand(int... sizes) { return Views.expand(this, sizes); }
    public Tensor expandAs(Tensor other) { return Views.expand(this, other.shape); }
    public Tensor narrow(int dim, int start, int length) { return Views.narrow(this, dim, start, length, "SliceBackward0"); }
    public Tensor select(int dim, int index) { return Views.select(this, dim, index); }
    public Tensor contiguous() { return Views.contiguous(this); }
    public Tensor clone() { return Views.clone(this); }
    /** A copy converted to {@code dtype}, or this tensor when it already has it. */
    public Tensor to(DType dtype) { return Views.to(this, dtype); }
    public List<Tensor> split(int splitSize, int dim) { return Joining.split(this, splitSize, dim); }
    public List<Tensor> split(int[] sizes, int dim) { return Joining.splitWithSizes(this, sizes, dim); }
    public List<Tensor> chunk(int chunks, int dim) { return Joining.chunk(this, chunks, dim); }
    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }
    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    // ------------------------------------------------------------------ linear algebra and activations

    public Tensor matmul(Tensor other) { return LinearAlgebra.matmul(this, other); }
    public Tensor mm(Tensor other) { return LinearAlgebra.mm(this, other); }
    public Tensor bmm(Tensor other) { return LinearAlgebra.bmm(this, other); }
    public Tensor softmax(int dim) { return Activations.softmax(this, dim); }
    public Tensor logSoftmax(int dim) { return Activations.logSoftmax(this, dim); }

    // ------------------------------------------------------------------ in-place

    /** this += alpha · other. */
    public Tensor add_(Tensor other, double alpha) { return assign(old(other).add(other, alpha)); }
    public Tensor add_(Tensor other) { return assign(old(other).add(other)); }
    public Tensor add_(double c) { return assign(old(null).add(c)); }
    public Tensor sub_(Tensor other) { return assign(old(other).sub(other)); }
    public Tensor sub_(double c) { return assign(old(null).sub(c)); }
    public Tensor mul_(Tensor other) { return assign(old(other).mul(other)); }
    public Tensor mul_(double c) { return assign(old(null).mul(c)); }
    public Tensor div_(Tensor other) { return assign(old(other).div(other)); }
    public Tensor div_(double c) { return assign(old(null).div(c)); }
    public Tensor clamp_(double min, double max) { return assign(old(null).clamp(min, max)); }
    public Tensor zero_() { return fill_(0.0); }

    /** Sets every element to {@code value}. */
    public Tensor fill_(double value) {
        checkInPlace();
        Kernels.fill(this, value);
        storage.bumpVersion();
        return this;
    }

    /** Fills with uniform values in [from, to) drawn from {@code g}, without recording (uniform_). */
    public Tensor uniform_(double from, double to, Generator g) {
        checkRandomFill();
        g.fillUniform(this, from, to);
        return this;
    }

    public Tensor uniform_(double from, double to) { return uniform_(from, to, Jgrad.defaultGenerator()); }

    /** Fills with normal values drawn from {@code g}, without recording (normal_). */
    public Tensor normal_(double mean, double std, Generator g) {
        checkRandomFill();
        g.fillNormal(this, mean, std);
        return this;
    }

    public Tensor normal_(double mean, double std) { return normal_(mean, std, Jgrad.defaultGenerator()); }

    /** Sets each element to 1 with probability {@code p}, else 0, drawing from {@code g}, without recording (bernoulli_). */
    public Tensor bernoulli_(double p, Generator g) {
        checkRandomFill();
        g.fillBernoulli(this, p);
        return this;
    }

    public Tensor bernoulli_(double p) { return bernoulli_(p, Jgrad.defaultGenerator()); }

    /**
     * Random fills overwrite without recording: rejected, as other in-place ops, on leaves that
     * require grad while grad mode is on, and also on tensors that are part of a recorded graph
     * (PyTorch would make their gradient zero; here detach() them first).
     */
    private void checkRandomFill() {
        checkInPlace();
        if (GradMode.isEnabled() && requiresGrad) {
            throw new UnsupportedOperationException("random in-place fills of a tensor that is part of a recorded graph "
                    + "are not supported; detach() it first or fill it inside noGrad()");
        }
    }

    /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this tensor. */
    public Tensor copy_(Tensor src) {
        if (!Arrays.equals(Shapes.broadcast(src.shape, shape, "copy_"), shape)) {
            throw new IllegalArgumentException("copy_: the source shape " + Shapes.format(src.shape)
                    + " cannot be broadcast to the destination shape " + Shapes.format(shape));
        }
        if (dev.jgrad.autograd.Graph.needsGrad(src)) {
            return assign(src.to(dtype()).expand(shape));
        }
        checkInPlace();
        Kernels.copyInto(this, src);
        storage.bumpVersion();
        return this;
    }

    /**
     * The old value of this tensor as an in-place op's operand: a recorded clone when the op
     * will be recorded, so that what backward saves is not overwritten by the op itself.
     */
    private Tensor old(Tensor other) {
        checkInPlace();
        return dev.jgrad.autograd.Graph.needsGrad(this, other) ? Views.clone(this) : this;
    }

    private void checkInPlace() {
        if (GradMode.isEnabled() && requiresGrad && isLeaf()) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
        }
    }

    /**
     * Writes {@code result} (computed out of place from this tensor's old value) into this
     * tensor, and when the graph is recorded makes this tensor the op's output, as PyTorch
     * rebases the history of a tensor modified in place.
     */
    private Tensor assign(Tensor result) {
        checkInPlace();
        if (!Arrays.equals(result.shape, shape)) {
            throw new IllegalArgumentException("output with shape " + Shapes.format(shape)
                    + " doesn't match the broadcast shape " + Shapes.format(result.shape));
        }
        if (result.dtype().category() > dtype().category()) {
            throw new IllegalArgumentException("result type " + result.dtype().scalarTypeName()
                    + " can't be cast to the desired output type " + dtype().scalarTypeName());
        }
        boolean record = result.requiresGrad() && GradMode.isEnabled();
        if (record && isView()) {
            throw new UnsupportedOperationException("in-place operations that record a graph are not supported on views; "
                    + "use the out-of-place op or clone() the view first");
        }
        Kernels.copyInto(this, result);
        storage.bumpVersion();
        if (record) {
            // result's node saved this tensor's old value through a clone
            attachGradFn(result.gradFn);
        }
        return this;
    }

    // ------------------------------------------------------------------ printing

    /** PyTorch's repr, e.g. {@code tensor([[1.0000, 2.0000]], grad_fn=<AddmmBackward0>)}. */
    @Override
    public String toString() {
        return TensorFormatter.repr(this);
    }
}
