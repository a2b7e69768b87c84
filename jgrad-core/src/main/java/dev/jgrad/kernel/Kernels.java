package dev.jgrad.kernel;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.storage.Shapes;
import dev.jgrad.storage.Storage;

/**
 * The CPU kernels behind every tensor op: strided iteration, element-wise maps with
 * broadcasting, reductions, matrix products and indexing. They compute values only and never
 * touch autograd; ops in {@code dev.jgrad.ops} call them and record the graph.
 *
 * <p>Internal: a faster kernel may replace any method here as long as results change by float
 * rounding at most.
 */
public final class Kernels {
    private Kernels() {
    }

    // ---------------------------------------------------------------- iteration

    /** Storage offsets of all elements of {@code t}, in row-major order of its shape. */
    public static int[] offsets(Tensor t) {
        return offsets(t.shape(), t.stride(), t.storageOffset());
    }

    /** Storage offsets of {@code t} broadcast to {@code outShape} (stride 0 on broadcast dims). */
    public static int[] broadcastOffsets(Tensor t, int[] outShape) {
        int[] shape = t.shape();
        int[] stride = t.stride();
        int[] bs = new int[outShape.length];
        int lead = outShape.length - shape.length;
        for (int d = 0; d < shape.length; d++) {
            bs[d + lead] = shape[d] == 1 && outShape[d + lead] != 1 ? 0 : stride[d];
        }
        return offsets(outShape, bs, t.storageOffset());
    }

    static int[] offsets(int[] shape, int[] strides, int offset) {
        int n = Shapes.numel(shape);
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        int nd = shape.length;
        if (nd == 0) {
            out[0] = offset;
            return out;
        }
        int[] idx = new int[nd];
        int lastSize = shape[nd - 1];
        int lastStride = strides[nd - 1];
        int off = offset;
        int i = 0;
        while (true) {
            for (int k = 0; k < lastSize; k++) {
                out[i++] = off + k * lastStride;
            }
            int d = nd - 2;
            while (d >= 0) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                off -= strides[d] * shape[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return out;
            }
        }
    }

    /** All values of {@code t} as doubles, row-major. */
    public static double[] toDoubles(Tensor t) {
        Storage s = t.storage();
        int[] off = offsets(t);
        double[] out = new double[off.length];
        for (int i = 0; i < off.length; i++) {
            out[i] = s.get(off[i]);
        }
        return out;
    }

    // ---------------------------------------------------------------- copies

    /** A new contiguous tensor with the values of {@code x} converted to {@code dtype}. */
    public static Tensor copyAs(Tensor x, DType dtype) {
        Tensor out = Tensor.empty(dtype, x.shape());
        copyInto(out, x);
        return out;
    }

    /** Copies {@code src}, broadcast to {@code dst}'s shape, into {@code dst} (any strides), converting type. */
    public static void copyInto(Tensor dst, Tensor src) {
        Storage d = dst.storage();
        Storage s = src.storage();
        int[] doff = offsets(dst);
        int[] soff = broadcastOffsets(src, dst.shape());
        if (d == s) {
            // overlapping source: read everything first
            double[] tmp = new double[soff.length];
            for (int i = 0; i < soff.length; i++) {
                tmp[i] = s.get(soff[i]);
            }
            for (int i = 0; i < doff.length; i++) {
                d.set(doff[i], tmp[i]);
            }
            return;
        }
        if (d.dtype() == DType.FLOAT32 && s.dtype() == DType.FLOAT32) {
            float[] df = d.floats();
            float[] sf = s.floats();
            for (int i = 0; i < doff.length; i++) {
                df[doff[i]] = sf[soff[i]];
            }
            return;
        }
        for (int i = 0; i < doff.length; i++) {
            d.set(doff[i], s.get(soff[i]));
        }
    }

    /** Sets every element of {@code dst} to {@code value}. */
    public static void fill(Tensor dst, double value) {
        Storage d = dst.storage();
        for (int o : offsets(dst)) {
            d.set(o, value);
        }
    }

    // ---------------------------------------------------------------- element-wise

    /** {@code op(x)} element-wise; x must be floating point; the result has x's dtype. */
    public static Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = Tensor.empty(x.dtype(), x.shape());
        Storage s = x.storage();
        int[] off = offsets(x);
        if (x.dtype() == DType.FLOAT32) {
            float[] src = s.floats();
            float[] dst = out.storage().floats();
            for (int i = 0; i < off.length; i++) {
                dst[i] = op.apply(src[off[i]]);
            }
        } else {
            Storage o = out.storage();
            for (int i = 0; i < off.length; i++) {
                o.set(i, op.apply(s.get(off[i])));
            }
        }
        return out;
    }

    /** {@code op(a, b)} with broadcasting, computed in {@code compute}; comparisons give BOOL. */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b, DType compute) {
        int[] shape = Shapes.broadcast(a.shape(), b.shape(), op.name().toLowerCase());
        Tensor out = Tensor.empty(op.isComparison() ? DType.BOOL : compute, shape);
        Storage sa = a.storage();
        Storage sb = b.storage();
        Storage so = out.storage();
        int[] oa = broadcastOffsets(a, shape);
        int[] ob = broadcastOffsets(b, shape);
        boolean round = compute == DType.FLOAT32;
        for (int i = 0; i < oa.length; i++) {
            double x = sa.get(oa[i]);
            double y = sb.get(ob[i]);
            if (round) {
                x = (float) x;
                y = (float) y;
            }
            so.set(i, op.apply(x, y));
        }
        return out;
    }

    /**
     * {@code a + alpha · b} with broadcasting and one rounding (a fused multiply-add in the
     * result's precision), as PyTorch's add/sub with alpha.
     */
    public static Tensor addScaled(Tensor a, Tensor b, double alpha, DType compute) {
        int[] shape = Shapes.broadcast(a.shape(), b.shape(), alpha < 0 ? "sub" : "add");
        Tensor out = Tensor.empty(compute, shape);
        Storage sa = a.storage();
        Storage sb = b.storage();
        Storage so = out.storage();
        int[] oa = broadcastOffsets(a, shape);
        int[] ob = broadcastOffsets(b, shape);
        if (compute == DType.FLOAT32) {
            float fa = (float) alpha;
            for (int i = 0; i < oa.length; i++) {
                so.set(i, Math.fma(fa, (float) sb.get(ob[i]), (float) sa.get(oa[i])));
            }
        } else {
            for (int i = 0; i < oa.length; i++) {
                so.set(i, Math.fma(alpha, sb.get(ob[i]), sa.get(oa[i])));
            }
        }
        return out;
    }

    /** {@code op(a, s)} or, if {@code reversed}, {@code op(s, a)}, computed in {@code compute}. */
    public static Tensor binaryScalar(BinaryOp op, Tensor a, double scalar, boolean reversed, DType compute) {
        Tensor out = Tensor.empty(op.isComparison() ? DType.BOOL : compute, a.shape());
        Storage sa = a.storage();
        Storage so = out.storage();
        int[] oa = offsets(a);
        double s = compute == DType.FLOAT32 ? (float) scalar : scalar;
        for (int i = 0; i < oa.length; i++) {
            double x = sa.get(oa[i]);
            so.set(i, reversed ? op.apply(s, x) : op.apply(x, s));
        }
        return out;
    }

    /** {@code cond ? a : b} with broadcasting of all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b, DType dtype) {
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.shape(), a.shape(), "where"), b.shape(), "where");
        Tensor out = Tensor.empty(dtype, shape);
        int[] oc = broadcastOffsets(cond, shape);
        int[] oa = broadcastOffsets(a, shape);
        int[] ob = broadcastOffsets(b, shape);
        Storage sc = cond.storage();
        Storage sa = a.storage();
        Storage sb = b.storage();
        Storage so = out.storage();
        for (int i = 0; i < oc.length; i++) {
            so.set(i, sc.get(oc[i]) != 0 ? sa.get(oa[i]) : sb.get(ob[i]));
        }
        return out;
    }

    /** {@code x} with {@code value} where {@code mask} is true (mask broadcast to x). */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        Tensor out = copyAs(x, x.dtype());
        int[] om = broadcastOffsets(mask, x.shape());
        Storage sm = mask.storage();
        Storage so = out.storage();
        for (int i = 0; i < om.length; i++) {
            if (sm.get(om[i]) != 0) {
                so.set(i, value);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- reductions

    /**
     * Moves the dimensions flagged in {@code reduce} to the end and copies, so that each output
     * element reduces one contiguous row. Returns the rows as doubles; {@code rowLength[0]} gets R.
     */
    private static double[] rows(Tensor x, boolean[] reduce, int[] rowLength) {
        int nd = x.dim();
        int[] perm = new int[nd];
        int k = 0;
        int r = 1;
        for (int d = 0; d < nd; d++) {
            if (!reduce[d]) {
                perm[k++] = d;
            }
        }
        for (int d = 0; d < nd; d++) {
            if (reduce[d]) {
                perm[k++] = d;
                r *= x.size(d);
            }
        }
        rowLength[0] = r;
        int[] shape = new int[nd];
        int[] strides = new int[nd];
        for (int d = 0; d < nd; d++) {
            shape[d] = x.size(perm[d]);
            strides[d] = x.stride(perm[d]);
        }
        Tensor p = x.stridedView(shape, strides, x.storageOffset());
        return toDoubles(p);
    }

    private static int[] reducedShape(Tensor x, boolean[] reduce, boolean keepdim) {
        int nd = x.dim();
        int count = 0;
        for (int d = 0; d < nd; d++) {
            if (!reduce[d] || keepdim) {
                count++;
            }
        }
        int[] shape = new int[count];
        int k = 0;
        for (int d = 0; d < nd; d++) {
            if (!reduce[d]) {
                shape[k++] = x.size(d);
            } else if (keepdim) {
                shape[k++] = 1;
            }
        }
        return shape;
    }

    /**
     * Sum over the flagged dimensions; {@code divide} divides each sum by the row length (mean).
     * Sums accumulate in double; a float32 sum is rounded to float before the division, as
     * PyTorch's mean divides the float sum.
     */
    public static Tensor sum(Tensor x, boolean[] reduce, boolean keepdim, boolean divide, DType outType) {
        int[] rl = new int[1];
        double[] v = rows(x, reduce, rl);
        int r = rl[0];
        Tensor out = Tensor.empty(outType, reducedShape(x, reduce, keepdim));
        Storage so = out.storage();
        int n = out.numel();
        boolean f32 = outType == DType.FLOAT32;
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int j = i * r, e = j + r; j < e; j++) {
                acc += v[j];
            }
            if (divide) {
                acc = f32 ? (float) acc / (float) r : acc / r;
            }
            so.set(i, acc);
        }
        return out;
    }

    /**
     * Max (or min) over one dimension: values and int64 indices of the first extreme element; NaN
     * counts as the extreme, as in PyTorch.
     */
    public static Tensor[] maxMin(Tensor x, int dim, boolean keepdim, boolean max) {
        boolean[] reduce = new boolean[x.dim()];
        if (x.dim() > 0) {
            reduce[dim] = true;
        }
        int[] rl = new int[1];
        double[] v = rows(x, reduce, rl);
        int r = rl[0];
        int[] shape = reducedShape(x, reduce, keepdim);
        Tensor values = Tensor.empty(x.dtype(), shape);
        Tensor indices = Tensor.empty(DType.INT64, shape);
        int n = values.numel();
        for (int i = 0; i < n; i++) {
            int base = i * r;
            int best = 0;
            double bv = v[base];
            for (int j = 1; j < r && !Double.isNaN(bv); j++) {
                double c = v[base + j];
                if (Double.isNaN(c) || (max ? c > bv : c < bv)) {
                    bv = c;
                    best = j;
                }
            }
            values.storage().set(i, bv);
            indices.storage().set(i, best);
        }
        return new Tensor[] {values, indices};
    }

    /** log(sum(exp(x))) over the flagged dimensions, stabilised by the row maximum. */
    public static Tensor logsumexp(Tensor x, boolean[] reduce, boolean keepdim) {
        int[] rl = new int[1];
        double[] v = rows(x, reduce, rl);
        int r = rl[0];
        Tensor out = Tensor.empty(x.dtype(), reducedShape(x, reduce, keepdim));
        int n = out.numel();
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = i * r; j < (i + 1) * r; j++) {
                m = Math.max(m, v[j]);
            }
            double mm = Double.isInfinite(m) ? 0 : m;
            double acc = 0;
            for (int j = i * r; j < (i + 1) * r; j++) {
                acc += Math.exp(v[j] - mm);
            }
            out.storage().set(i, Math.log(acc) + mm);
        }
        return out;
    }

    // ---------------------------------------------------------------- matrix products

    /**
     * {@code beta * c + alpha * (a @ b)} for batched operands: a is [B, M, K], b is [B, K, N] and c
     * (optional, broadcastable to [B, M, N]); any strides. Each dot product accumulates from zero
     * over k in order with fused multiply-adds, in the result's precision, and c is added last.
     * That is OpenBLAS's arithmetic for short dot products, so the seed network matches PyTorch
     * (with OpenBLAS, as the reference machine has it) bit for bit; for longer ones OpenBLAS
     * blocks and unrolls k and results agree to float rounding. (A PyTorch linked to the
     * reference BLAS rounds the products separately instead.)
     */
    public static Tensor bmm(Tensor a, Tensor b, Tensor c, double beta, double alpha, DType dtype) {
        int batch = a.size(0);
        int m = a.size(1);
        int k = a.size(2);
        int n = b.size(2);
        int[] outShape = {batch, m, n};
        Tensor out = Tensor.empty(dtype, outShape);
        if (dtype == DType.FLOAT32) {
            float[] A = copyAs(a, DType.FLOAT32).storage().floats();
            float[] B = copyAs(b, DType.FLOAT32).storage().floats();
            float[] C = out.storage().floats();
            float[] acc = new float[n];
            for (int p = 0; p < batch; p++) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(acc, 0f);
                    int arow = (p * m + i) * k;
                    for (int q = 0; q < k; q++) {
                        float av = A[arow + q];
                        int brow = (p * k + q) * n;
                        for (int j = 0; j < n; j++) {
                            acc[j] = Math.fma(av, B[brow + j], acc[j]);
                        }
                    }
                    System.arraycopy(acc, 0, C, (p * m + i) * n, n);
                }
            }
        } else {
            double[] A = copyAs(a, DType.FLOAT64).storage().doubles();
            double[] B = copyAs(b, DType.FLOAT64).storage().doubles();
            double[] C = out.storage().doubles();
            double[] acc = new double[n];
            for (int p = 0; p < batch; p++) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(acc, 0.0);
                    int arow = (p * m + i) * k;
                    for (int q = 0; q < k; q++) {
                        double av = A[arow + q];
                        int brow = (p * k + q) * n;
                        for (int j = 0; j < n; j++) {
                            acc[j] = Math.fma(av, B[brow + j], acc[j]);
                        }
                    }
                    System.arraycopy(acc, 0, C, (p * m + i) * n, n);
                }
            }
        }
        if (c != null || alpha != 1.0) {
            Storage so = out.storage();
            int[] oc = c == null ? null : broadcastOffsets(c, outShape);
            Storage sc = c == null ? null : c.storage();
            boolean f32 = dtype == DType.FLOAT32;
            for (int i = 0; i < so.size(); i++) {
                double prod = so.get(i);
                if (alpha != 1.0) {
                    prod = f32 ? (float) alpha * (float) prod : alpha * prod;
                }
                if (c != null) {
                    double cv = sc.get(oc[i]);
                    if (beta != 1.0) {
                        cv = beta == 0.0 ? 0.0 : (f32 ? (float) beta * (float) cv : beta * cv);
                    }
                    prod = prod + cv;
                }
                so.set(i, prod);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- indexing

    /** out[..., i, ...] = x[..., index[i], ...] along {@code dim}. */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int[] shape = x.shape();
        int n = index.numel();
        long[] idx = indices(index, x.size(dim), "index_select");
        shape[dim] = n;
        Tensor out = Tensor.empty(x.dtype(), shape);
        int outer = 1;
        for (int d = 0; d < dim; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        double[] src = toDoubles(x);
        Storage so = out.storage();
        int srcDim = x.size(dim);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < n; i++) {
                int sbase = (o * srcDim + (int) idx[i]) * inner;
                int dbase = (o * n + i) * inner;
                for (int j = 0; j < inner; j++) {
                    so.set(dbase + j, src[sbase + j]);
                }
            }
        }
        return out;
    }

    /** Adds the slices of {@code src} into a zero tensor of {@code shape} at {@code index} along {@code dim}. */
    public static Tensor indexAdd(int[] shape, DType dtype, int dim, Tensor index, Tensor src) {
        Tensor out = Tensor.empty(dtype, shape);
        long[] idx = indices(index, shape[dim], "index_add");
        int n = idx.length;
        int outer = 1;
        for (int d = 0; d < dim; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        double[] s = toDoubles(src);
        double[] acc = new double[out.numel()];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < n; i++) {
                int dbase = (o * shape[dim] + (int) idx[i]) * inner;
                int sbase = (o * n + i) * inner;
                for (int j = 0; j < inner; j++) {
                    acc[dbase + j] += s[sbase + j];
                }
            }
        }
        for (int i = 0; i < acc.length; i++) {
            out.storage().set(i, acc[i]);
        }
        return out;
    }

    /** out[i][j] = x[index[i][j]][j] (dim 0), etc.: PyTorch's gather. */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        int[] ishape = index.shape();
        Tensor out = Tensor.empty(x.dtype(), ishape);
        int[] xstr = x.stride();
        int[] iter = offsets(ishape, Shapes.contiguousStrides(ishape), 0);
        long[] idx = indices(index, x.size(dim), "gather");
        int[] pos = new int[ishape.length];
        Storage sx = x.storage();
        for (int lin = 0; lin < iter.length; lin++) {
            unravel(lin, ishape, pos);
            int off = x.storageOffset();
            for (int d = 0; d < pos.length; d++) {
                int p = d == dim ? (int) idx[lin] : pos[d];
                if (d != dim && p >= x.size(d)) {
                    throw new IndexOutOfBoundsException("gather: index shape " + Shapes.format(ishape)
                            + " is larger than input shape " + Shapes.format(x.shape()) + " at dimension " + d);
                }
                off += p * xstr[d];
            }
            out.storage().set(lin, sx.get(off));
        }
        return out;
    }

    /** A zero tensor of {@code shape} with {@code src} added at the positions {@code index} selects along {@code dim}. */
    public static Tensor scatterAdd(int[] shape, DType dtype, int dim, Tensor index, Tensor src) {
        int[] ishape = index.shape();
        long[] idx = indices(index, shape[dim], "scatter_add");
        // src may be larger than index: read the leading block of src with index's shape
        int[] soff = offsets(ishape, src.stride(), src.storageOffset());
        double[] s = new double[soff.length];
        for (int i = 0; i < soff.length; i++) {
            s[i] = src.storage().get(soff[i]);
        }
        int[] strides = Shapes.contiguousStrides(shape);
        double[] acc = new double[Shapes.numel(shape)];
        int[] pos = new int[ishape.length];
        for (int lin = 0; lin < idx.length; lin++) {
            unravel(lin, ishape, pos);
            int off = 0;
            for (int d = 0; d < pos.length; d++) {
                off += (d == dim ? (int) idx[lin] : pos[d]) * strides[d];
            }
            acc[off] += s[lin];
        }
        Tensor out = Tensor.empty(dtype, shape);
        for (int i = 0; i < acc.length; i++) {
            out.storage().set(i, acc[i]);
        }
        return out;
    }

    private static void unravel(int lin, int[] shape, int[] pos) {
        for (int d = shape.length - 1; d >= 0; d--) {
            int s = shape[d];
            pos[d] = s == 0 ? 0 : lin % s;
            lin = s == 0 ? 0 : lin / s;
        }
    }

    /** The values of an int64 index tensor, checked against {@code size} (negative values wrap). */
    public static long[] indices(Tensor index, int size, String op) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index, got " + index.dtype());
        }
        Storage s = index.storage();
        int[] off = offsets(index);
        long[] out = new long[off.length];
        for (int i = 0; i < off.length; i++) {
            long v = s.longs()[off[i]];
            if (v < -size || v >= size) {
                throw new IndexOutOfBoundsException(op + "(): index " + v + " is out of bounds for dimension with size " + size);
            }
            out[i] = v < 0 ? v + size : v;
        }
        return out;
    }
}
