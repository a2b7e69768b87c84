package dev.jgrad.kernel;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.storage.Shapes;
import dev.jgrad.storage.Storage;
import java.util.Arrays;

/**
 * The CPU kernels behind every tensor op: strided iteration, element-wise maps with
 * broadcasting, reductions, matrix products and indexing. They compute values only and never
 * touch autograd; ops in {@code dev.jgrad.ops} call them and record the graph.
 *
 * <p>Layout of the package: {@link Iter} walks strided operands without offset arrays;
 * {@code Elementwise} holds the typed inner loops; {@link Gemm} the matrix products (small path,
 * blocked path with {@code MicroKernels}: Vector API 512- or 256-bit, or scalar, chosen at start-up);
 * {@link OptimKernels} the Vector API loops C2 does not vectorise itself (Adam, ReLU); {@link Parallel}
 * the fixed-partition thread pool. Every kernel computes each element with one fixed sequence of
 * operations, whatever the thread count: results are bit-identical for 1 and N threads.
 *
 * <p>Internal: a faster kernel may replace any method here as long as results change by float
 * rounding at most (and the golden tests keep passing).
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
        int n = t.numel();
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        if (t.isContiguous() && t.dtype() == DType.FLOAT32) {
            float[] src = t.storage().floats();
            for (int i = 0, o = t.storageOffset(); i < n; i++) {
                out[i] = src[o + i];
            }
            return out;
        }
        if (t.isContiguous() && t.dtype() == DType.FLOAT64) {
            System.arraycopy(t.storage().doubles(), t.storageOffset(), out, 0, n);
            return out;
        }
        Iter it = new Iter(t.shapeRef(), t, null, null);
        int inner = it.inner;
        int ia = it.innerA;
        int o = 0;
        switch (t.dtype()) {
            case FLOAT32: {
                float[] src = t.storage().floats();
                for (int r = 0; r < it.rows; r++, it.next()) {
                    for (int j = 0, pa = it.offA; j < inner; j++, pa += ia) {
                        out[o++] = src[pa];
                    }
                }
                return out;
            }
            case FLOAT64: {
                double[] src = t.storage().doubles();
                for (int r = 0; r < it.rows; r++, it.next()) {
                    for (int j = 0, pa = it.offA; j < inner; j++, pa += ia) {
                        out[o++] = src[pa];
                    }
                }
                return out;
            }
            default: {
                Storage src = t.storage();
                for (int r = 0; r < it.rows; r++, it.next()) {
                    for (int j = 0, pa = it.offA; j < inner; j++, pa += ia) {
                        out[o++] = src.get(pa);
                    }
                }
                return out;
            }
        }
    }

    // ---------------------------------------------------------------- copies

    /** A new contiguous tensor with the values of {@code x} converted to {@code dtype}. */
    public static Tensor copyAs(Tensor x, DType dtype) {
        Tensor out = Tensor.emptyShared(dtype, x.shapeRef());
        copyInto(out, x);
        return out;
    }

    /** Copies {@code src}, broadcast to {@code dst}'s shape, into {@code dst} (any strides), converting type. */
    public static void copyInto(Tensor dst, Tensor src) {
        int n = dst.numel();
        if (n == 0) {
            return;
        }
        Storage d = dst.storage();
        Storage s = src.storage();
        if (d == s) {
            // overlapping source: read everything first
            double[] tmp = toDoubles(src.stridedView(dst.shape(), Iter.broadcastStrides(src, dst.shape()), src.storageOffset()));
            Iter it = new Iter(dst.shapeRef(), dst, null, null);
            int o = 0;
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pd = it.offA; j < it.inner; j++, pd += it.innerA) {
                    d.set(pd, tmp[o++]);
                }
            }
            return;
        }
        DType dt = d.dtype();
        if (dt == s.dtype() && dst.isContiguous() && src.isContiguous() && src.numel() == n) {
            System.arraycopy(arrayOf(s), src.storageOffset(), arrayOf(d), dst.storageOffset(), n);
            return;
        }
        Iter it = new Iter(dst.shapeRef(), dst, src, null);
        int inner = it.inner;
        int id = it.innerA;
        int is = it.innerB;
        if (dt == DType.FLOAT32 && s.dtype() == DType.FLOAT32) {
            float[] df = d.floats();
            float[] sf = s.floats();
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pd = it.offA, ps = it.offB; j < inner; j++, pd += id, ps += is) {
                    df[pd] = sf[ps];
                }
            }
            return;
        }
        if (dt == DType.FLOAT64 && s.dtype() == DType.FLOAT64) {
            double[] df = d.doubles();
            double[] sf = s.doubles();
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pd = it.offA, ps = it.offB; j < inner; j++, pd += id, ps += is) {
                    df[pd] = sf[ps];
                }
            }
            return;
        }
        for (int r = 0; r < it.rows; r++, it.next()) {
            for (int j = 0, pd = it.offA, ps = it.offB; j < inner; j++, pd += id, ps += is) {
                d.set(pd, s.get(ps));
            }
        }
    }

    private static Object arrayOf(Storage s) {
        switch (s.dtype()) {
            case FLOAT32: return s.floats();
            case FLOAT64: return s.doubles();
            case INT64: return s.longs();
            default: return s.bools();
        }
    }

    /** Sets every element of {@code dst} to {@code value}. */
    public static void fill(Tensor dst, double value) {
        if (dst.numel() == 0) {
            return;
        }
        Storage d = dst.storage();
        if (dst.isContiguous()) {
            int from = dst.storageOffset();
            int to = from + dst.numel();
            switch (d.dtype()) {
                case FLOAT32: java.util.Arrays.fill(d.floats(), from, to, (float) value); return;
                case FLOAT64: java.util.Arrays.fill(d.doubles(), from, to, value); return;
                case INT64: java.util.Arrays.fill(d.longs(), from, to, (long) value); return;
                default: java.util.Arrays.fill(d.bools(), from, to, value != 0.0); return;
            }
        }
        Iter it = new Iter(dst.shapeRef(), dst, null, null);
        for (int r = 0; r < it.rows; r++, it.next()) {
            for (int j = 0, pd = it.offA; j < it.inner; j++, pd += it.innerA) {
                d.set(pd, value);
            }
        }
    }

    // ---------------------------------------------------------------- element-wise

    /** {@code op(x)} element-wise; x must be floating point; the result has x's dtype. */
    public static Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = Tensor.emptyShared(x.dtype(), x.shapeRef());
        int n = out.numel();
        if (n == 0) {
            return out;
        }
        if (x.dtype() == DType.FLOAT32) {
            float[] src = x.storage().floats();
            float[] dst = out.storage().floats();
            if (x.isContiguous()) {
                Elementwise.unaryF(op, src, x.storageOffset(), dst, n);
                return out;
            }
            Iter it = new Iter(x.shapeRef(), x, null, null);
            int o = 0;
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pa = it.offA; j < it.inner; j++, pa += it.innerA) {
                    dst[o++] = op.apply(src[pa]);
                }
            }
        } else if (x.dtype() == DType.FLOAT64) {
            double[] src = x.storage().doubles();
            double[] dst = out.storage().doubles();
            if (x.isContiguous()) {
                Elementwise.unaryD(op, src, x.storageOffset(), dst, n);
                return out;
            }
            Iter it = new Iter(x.shapeRef(), x, null, null);
            int o = 0;
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pa = it.offA; j < it.inner; j++, pa += it.innerA) {
                    dst[o++] = op.apply(src[pa]);
                }
            }
        } else {
            // integral inputs of sign-preserving ops (neg, abs, relu, sign) keep their dtype
            Storage s = x.storage();
            Storage o = out.storage();
            Iter it = new Iter(x.shapeRef(), x, null, null);
            int i = 0;
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pa = it.offA; j < it.inner; j++, pa += it.innerA) {
                    o.set(i++, op.apply(s.get(pa)));
                }
            }
        }
        return out;
    }

    /** {@code op(a, b)} with broadcasting, computed in {@code compute}; comparisons give BOOL. */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b, DType compute) {
        int[] shape = Arrays.equals(a.shapeRef(), b.shapeRef()) ? a.shapeRef() : Shapes.broadcast(a.shapeRef(), b.shapeRef(), op.name().toLowerCase());
        Tensor out = Tensor.emptyShared(op.isComparison() ? DType.BOOL : compute, shape);
        if (out.numel() == 0) {
            return out;
        }
        Iter it = new Iter(shape, a, b, null);
        if (!op.isComparison() && a.dtype() == compute && b.dtype() == compute) {
            if (compute == DType.FLOAT32) {
                Elementwise.binaryF(op, a.storage().floats(), b.storage().floats(), out.storage().floats(), it);
                return out;
            }
            if (compute == DType.FLOAT64) {
                Elementwise.binaryD(op, a.storage().doubles(), b.storage().doubles(), out.storage().doubles(), it);
                return out;
            }
        }
        Storage sa = a.storage();
        Storage sb = b.storage();
        Storage so = out.storage();
        boolean round = compute == DType.FLOAT32;
        int i = 0;
        for (int r = 0; r < it.rows; r++, it.next()) {
            for (int j = 0, pa = it.offA, pb = it.offB; j < it.inner; j++, pa += it.innerA, pb += it.innerB) {
                double x = sa.get(pa);
                double y = sb.get(pb);
                if (round) {
                    x = (float) x;
                    y = (float) y;
                }
                so.set(i++, op.apply(x, y));
            }
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
        if (out.numel() == 0) {
            return out;
        }
        Storage sa = a.storage();
        Storage sb = b.storage();
        Storage so = out.storage();
        Iter it = new Iter(shape, a, b, null);
        int i = 0;
        if (compute == DType.FLOAT32) {
            float fa = (float) alpha;
            float[] o = so.floats();
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pa = it.offA, pb = it.offB; j < it.inner; j++, pa += it.innerA, pb += it.innerB) {
                    o[i++] = Math.fma(fa, (float) sb.get(pb), (float) sa.get(pa));
                }
            }
        } else {
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pa = it.offA, pb = it.offB; j < it.inner; j++, pa += it.innerA, pb += it.innerB) {
                    so.set(i++, Math.fma(alpha, sb.get(pb), sa.get(pa)));
                }
            }
        }
        return out;
    }

    /** {@code op(a, s)} or, if {@code reversed}, {@code op(s, a)}, computed in {@code compute}. */
    public static Tensor binaryScalar(BinaryOp op, Tensor a, double scalar, boolean reversed, DType compute) {
        Tensor out = Tensor.emptyShared(op.isComparison() ? DType.BOOL : compute, a.shapeRef());
        int n = out.numel();
        if (n == 0) {
            return out;
        }
        double s = compute == DType.FLOAT32 ? (float) scalar : scalar;
        if (a.isContiguous() && a.dtype() == compute && !op.isComparison()) {
            if (compute == DType.FLOAT32) {
                Elementwise.scalarF(op, a.storage().floats(), a.storageOffset(), (float) s, reversed, out.storage().floats(), n);
                return out;
            }
            if (compute == DType.FLOAT64) {
                Elementwise.scalarD(op, a.storage().doubles(), a.storageOffset(), s, reversed, out.storage().doubles(), n);
                return out;
            }
        }
        Storage sa = a.storage();
        Storage so = out.storage();
        Iter it = new Iter(a.shapeRef(), a, null, null);
        int i = 0;
        for (int r = 0; r < it.rows; r++, it.next()) {
            for (int j = 0, pa = it.offA; j < it.inner; j++, pa += it.innerA) {
                double x = sa.get(pa);
                so.set(i++, reversed ? op.apply(s, x) : op.apply(x, s));
            }
        }
        return out;
    }

    /** {@code cond ? a : b} with broadcasting of all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b, DType dtype) {
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.shape(), a.shape(), "where"), b.shape(), "where");
        Tensor out = Tensor.empty(dtype, shape);
        if (out.numel() == 0) {
            return out;
        }
        Iter it = new Iter(shape, cond, a, b);
        Storage sc = cond.storage();
        Storage sa = a.storage();
        Storage sb = b.storage();
        Storage so = out.storage();
        int i = 0;
        for (int r = 0; r < it.rows; r++, it.next()) {
            for (int j = 0, pc = it.offA, pa = it.offB, pb = it.offC; j < it.inner;
                 j++, pc += it.innerA, pa += it.innerB, pb += it.innerC) {
                so.set(i++, sc.get(pc) != 0 ? sa.get(pa) : sb.get(pb));
            }
        }
        return out;
    }

    /** {@code x} with {@code value} where {@code mask} is true (mask broadcast to x). */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        Tensor out = copyAs(x, x.dtype());
        if (out.numel() == 0) {
            return out;
        }
        Iter it = new Iter(x.shapeRef(), mask, null, null);
        Storage sm = mask.storage();
        Storage so = out.storage();
        int i = 0;
        for (int r = 0; r < it.rows; r++, it.next()) {
            for (int j = 0, pm = it.offA; j < it.inner; j++, pm += it.innerA, i++) {
                if (sm.get(pm) != 0) {
                    so.set(i, value);
                }
            }
        }
        return out;
    }

    /**
     * Sigmoid's backward in one pass: {@code (g · (1 − y)) · y}, rounded after each operation as
     * the composition {@code g.mul(y.rsub(1)).mul(y)} (PyTorch's sigmoid_backward order). g and y
     * have the same shape and floating dtype.
     */
    public static Tensor sigmoidBackward(Tensor g, Tensor y) {
        DType t = g.dtype();
        Tensor out = Tensor.emptyShared(t, g.shapeRef());
        if (out.numel() == 0) {
            return out;
        }
        if (t == DType.FLOAT32 && g.isContiguous() && y.isContiguous()) {
            float[] gs = g.storage().floats();
            float[] ys = y.storage().floats();
            float[] o = out.storage().floats();
            for (int i = 0, n = o.length, go = g.storageOffset(), yo = y.storageOffset(); i < n; i++) {
                float yv = ys[yo + i];
                o[i] = (gs[go + i] * (1f - yv)) * yv;
            }
            return out;
        }
        Iter it = new Iter(g.shapeRef(), g, y, null);
        int i = 0;
        if (t == DType.FLOAT32) {
            float[] gs = g.storage().floats();
            float[] ys = y.storage().floats();
            float[] o = out.storage().floats();
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pg = it.offA, py = it.offB; j < it.inner; j++, pg += it.innerA, py += it.innerB) {
                    float yv = ys[py];
                    o[i++] = (gs[pg] * (1f - yv)) * yv;
                }
            }
        } else {
            double[] gs = g.storage().doubles();
            double[] ys = y.storage().doubles();
            double[] o = out.storage().doubles();
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pg = it.offA, py = it.offB; j < it.inner; j++, pg += it.innerA, py += it.innerB) {
                    double yv = ys[py];
                    o[i++] = (gs[pg] * (1.0 - yv)) * yv;
                }
            }
        }
        return out;
    }

    /**
     * Binary cross-entropy's input gradient in one pass, for a reduced loss (g a single value):
     * {@code ((g · (x − y)) / max((1 − x) · x, eps)) / divisor}, each operation rounded in the
     * dtype as the composition of ops it replaces (divisor 0: no division, reduction "sum").
     * Null when the operands do not fit (other dtypes, g not a single element).
     */
    public static Tensor bceBackward(Tensor g, Tensor x, Tensor y, double eps, int divisor) {
        DType t = x.dtype();
        if (g.numel() != 1 || g.dtype() != t || y.dtype() != t || (t != DType.FLOAT32 && t != DType.FLOAT64)
                || !Arrays.equals(x.shapeRef(), y.shapeRef())) {
            return null;
        }
        Tensor out = Tensor.emptyShared(t, x.shapeRef());
        if (out.numel() == 0) {
            return out;
        }
        Iter it = new Iter(x.shapeRef(), x, y, null);
        int i = 0;
        if (t == DType.FLOAT32) {
            float gv = g.storage().floats()[g.storageOffset()];
            float e = (float) eps;
            float d = divisor;
            float[] xs = x.storage().floats();
            float[] ys = y.storage().floats();
            float[] o = out.storage().floats();
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, px = it.offA, py = it.offB; j < it.inner; j++, px += it.innerA, py += it.innerB) {
                    float xv = xs[px];
                    float v = (gv * (xv - ys[py])) / Math.max((1f - xv) * xv, e);
                    o[i++] = divisor != 0 ? v / d : v;
                }
            }
        } else {
            double gv = g.storage().doubles()[g.storageOffset()];
            double[] xs = x.storage().doubles();
            double[] ys = y.storage().doubles();
            double[] o = out.storage().doubles();
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, px = it.offA, py = it.offB; j < it.inner; j++, px += it.innerA, py += it.innerB) {
                    double xv = xs[px];
                    double v = (gv * (xv - ys[py])) / Math.max((1.0 - xv) * xv, eps);
                    o[i++] = divisor != 0 ? v / divisor : v;
                }
            }
        }
        return out;
    }

    /**
     * ReLU's backward in one pass: {@code g} where {@code y > 0}, else 0 (threshold_backward; the
     * same values as {@code g.maskedFill(y.le(0), 0)}). g and y have the same shape.
     */
    public static Tensor reluBackward(Tensor g, Tensor y) {
        DType t = g.dtype();
        Tensor out = Tensor.emptyShared(t, g.shapeRef());
        int n = out.numel();
        if (n == 0) {
            return out;
        }
        Iter it = new Iter(g.shapeRef(), g, y, null);
        if (t == DType.FLOAT32 && y.dtype() == DType.FLOAT32) {
            float[] gs = g.storage().floats();
            float[] ys = y.storage().floats();
            float[] o = out.storage().floats();
            if (it.rows == 1 && it.innerA == 1 && it.innerB == 1) {
                OptimKernels.get().reluBackward(n, gs, it.offA, ys, it.offB, o);
                return out;
            }
            int i = 0;
            for (int r = 0; r < it.rows; r++, it.next()) {
                for (int j = 0, pg = it.offA, py = it.offB; j < it.inner; j++, pg += it.innerA, py += it.innerB) {
                    o[i++] = ys[py] <= 0f ? 0f : gs[pg];
                }
            }
            return out;
        }
        Storage gs = g.storage();
        Storage ys = y.storage();
        Storage o = out.storage();
        int i = 0;
        for (int r = 0; r < it.rows; r++, it.next()) {
            for (int j = 0, pg = it.offA, py = it.offB; j < it.inner; j++, pg += it.innerA, py += it.innerB) {
                o.set(i++, ys.get(py) <= 0 ? 0.0 : gs.get(pg));
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
        return sum(x, reduce, divide, outType, reducedShape(x, reduce, keepdim));
    }

    /**
     * {@code x} summed to {@code shape} (PyTorch's sum_to_size: leading dimensions and dimensions
     * where shape has 1 are summed), without autograd: the engine's reduction of broadcast gradients.
     */
    public static Tensor sumTo(Tensor x, int[] shape) {
        int[] xs = x.shapeRef();
        if (xs.length == 2 && x.dtype() == DType.FLOAT32 && x.isContiguous() && isRowOf(shape, xs[1])) {
            return columnSums(x, xs[0], xs[1], shape);
        }
        int lead = xs.length - shape.length;
        boolean[] reduce = new boolean[xs.length];
        for (int d = 0; d < xs.length; d++) {
            reduce[d] = d < lead || (shape[d - lead] == 1 && xs[d] != 1);
        }
        DType t = x.dtype().isFloatingPoint() ? x.dtype() : null;
        if (t == null) {
            throw new IllegalArgumentException("sumTo: floating-point tensors only, got " + x.dtype());
        }
        return sum(x, reduce, false, t, shape);
    }

    /** Whether shape is [n] or [1, n]. */
    private static boolean isRowOf(int[] shape, int n) {
        return shape.length == 1 ? shape[0] == n : shape.length == 2 && shape[0] == 1 && shape[1] == n;
    }

    /**
     * The sums over the r rows of a contiguous float32 [r, n] matrix (a bias gradient), as the
     * general path computes them: each column added in double, rows in order, then rounded.
     */
    private static Tensor columnSums(Tensor x, int r, int n, int[] shape) {
        Tensor out = Tensor.empty(DType.FLOAT32, shape);
        float[] o = out.storage().floats();
        float[] v = x.storage().floats();
        int off = x.storageOffset();
        for (int i = 0; i < n; i++) {
            double acc = 0.0; // as the general path: +0.0 first, so a sum of −0s is +0
            for (int q = 0, j = off + i; q < r; q++, j += n) {
                acc += v[j];
            }
            o[i] = (float) acc;
        }
        return out;
    }

    private static Tensor sum(Tensor x, boolean[] reduce, boolean divide, DType outType, int[] outShape) {
        Tensor fast = sumContiguous(x, reduce, outShape, divide, outType);
        if (fast != null) {
            return fast;
        }
        int[] rl = new int[1];
        double[] v = rows(x, reduce, rl);
        int r = rl[0];
        Tensor out = Tensor.empty(outType, outShape);
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
     * Sums of a contiguous float tensor whose reduced dimensions form one leading or one trailing
     * block (column sums such as a bias gradient, row sums, or everything), read in place. The
     * same order of additions as the general path; null when the layout does not fit.
     */
    private static Tensor sumContiguous(Tensor x, boolean[] reduce, int[] outShape, boolean divide, DType outType) {
        DType t = x.dtype();
        if ((t != DType.FLOAT32 && t != DType.FLOAT64) || !x.isContiguous() || x.numel() == 0) {
            return null;
        }
        int nd = x.dim();
        int first = -1;
        int last = -1;
        for (int d = 0; d < nd; d++) {
            if (reduce[d] && x.size(d) != 1) {
                if (first < 0) {
                    first = d;
                }
                last = d;
            }
        }
        long reduced = 1;
        long kept = 1;
        for (int d = 0; d < nd; d++) {
            if (reduce[d]) {
                reduced *= x.size(d);
            } else {
                kept *= x.size(d);
            }
        }
        boolean leading = true;   // all non-trivial reduced dims before all non-trivial kept dims
        boolean trailing = true;  // all non-trivial reduced dims after all non-trivial kept dims
        boolean seenKept = false;
        boolean seenReduced = false;
        for (int d = 0; d < nd; d++) {
            if (x.size(d) == 1) {
                continue;
            }
            if (reduce[d]) {
                if (seenKept) {
                    leading = false;
                }
                seenReduced = true;
            } else {
                if (seenReduced) {
                    trailing = false;
                }
                seenKept = true;
            }
        }
        if (!leading && !trailing) {
            return null;
        }
        int r = (int) reduced;
        int n = (int) kept;
        Tensor out = Tensor.empty(outType, outShape);
        Storage so = out.storage();
        boolean f32 = outType == DType.FLOAT32;
        int off = x.storageOffset();
        double[] acc = new double[n];
        if (trailing) {
            // each output sums one contiguous run of r elements
            if (t == DType.FLOAT32) {
                float[] v = x.storage().floats();
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = off + i * r, e = j + r; j < e; j++) {
                        s += v[j];
                    }
                    acc[i] = s;
                }
            } else {
                double[] v = x.storage().doubles();
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = off + i * r, e = j + r; j < e; j++) {
                        s += v[j];
                    }
                    acc[i] = s;
                }
            }
        } else {
            // column sums: output i adds x[q·n + i] for q in order
            if (t == DType.FLOAT32) {
                float[] v = x.storage().floats();
                for (int q = 0; q < r; q++) {
                    int base = off + q * n;
                    for (int i = 0; i < n; i++) {
                        acc[i] += v[base + i];
                    }
                }
            } else {
                double[] v = x.storage().doubles();
                for (int q = 0; q < r; q++) {
                    int base = off + q * n;
                    for (int i = 0; i < n; i++) {
                        acc[i] += v[base + i];
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            double a = acc[i];
            if (divide) {
                a = f32 ? (float) a / (float) r : a / r;
            }
            so.set(i, a);
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
     * {@code beta * c + alpha * (a @ b)} for 2-D operands with any strides (transposed views are
     * read in place) and c optional, broadcastable to [m, n]: the same arithmetic as {@link #bmm}.
     */
    public static Tensor mm(Tensor a, Tensor b, Tensor c, double beta, double alpha, DType dtype) {
        int m = a.size(0);
        int n = b.size(1);
        if (a.dtype() != dtype || b.dtype() != dtype || (c != null && (alpha != 1.0 || beta != 1.0 || c.dim() != 1
                || c.dtype() != dtype)) || (c == null && alpha != 1.0)) {
            return bmm(a.unsqueezeView(0), b.unsqueezeView(0), c == null || c.dim() < 2 ? c : c.unsqueezeView(0), beta,
                    alpha, dtype).squeezeView(0);
        }
        Tensor out = product(a, b, null);
        if (c != null) {
            addRowVector(out, c, m, n);
        }
        return out;
    }

    /**
     * {@code act(c + a @ b)} in one kernel, act ReLU or sigmoid: a linear layer and its activation.
     * The bias and the activation are applied to each block of the product as it is finished
     * ({@link Epilogue}), with the bits of {@code unary(act, mm(a, b, c, 1, 1, dtype))}. a [m, k] and
     * b [k, n] with any strides, c [n] or [1]; null (nothing computed) when the operands do not
     * fit: dtypes other than one shared float32 or float64, c not 1-D, other activations.
     */
    public static Tensor addmmActivation(Tensor a, Tensor b, Tensor c, UnaryOp act) {
        DType t = a.dtype();
        if ((t != DType.FLOAT32 && t != DType.FLOAT64) || b.dtype() != t || c.dtype() != t || a.dim() != 2 || b.dim() != 2
                || c.dim() != 1 || (c.size(0) != b.size(1) && c.size(0) != 1) || a.size(1) != b.size(0)
                || (act != UnaryOp.RELU && act != UnaryOp.SIGMOID)) {
            return null;
        }
        int co = c.storageOffset();
        int cs = c.size(0) == 1 ? 0 : c.stride(0);
        return product(a, b, t == DType.FLOAT32 ? Epilogue.biasActivation(c.storage().floats(), co, cs, act)
                : Epilogue.biasActivation(c.storage().doubles(), co, cs, act));
    }

    /**
     * Products of at most this many multiply-adds take GEMM's small path (plain loops, no packing,
     * no threads): the seed network's, for instance.
     */
    public static final long SMALL_PRODUCT_WORK = Gemm.SMALL_WORK;

    /**
     * {@code reluBackward(a @ b, y)} in one kernel: the product with each element set to +0 where
     * {@code y <= 0} as each block is finished ({@link Epilogue}), the bits of the two kernels. a
     * [m, k] and b [k, n] with any strides, y the ReLU's output, contiguous [m, n]; null (nothing
     * computed) when the operands do not fit: dtypes other than one shared float32 or float64, y's shape or layout.
     */
    public static Tensor mmReluMasked(Tensor a, Tensor b, Tensor y) {
        DType t = a.dtype();
        if ((t != DType.FLOAT32 && t != DType.FLOAT64) || b.dtype() != t || y.dtype() != t || a.dim() != 2 || b.dim() != 2
                || a.size(1) != b.size(0) || y.dim() != 2 || y.size(0) != a.size(0) || y.size(1) != b.size(1) || !y.isContiguous()) {
            return null;
        }
        int n = b.size(1);
        return product(a, b, t == DType.FLOAT32 ? Epilogue.reluMask(y.storage().floats(), y.storageOffset(), n)
                : Epilogue.reluMask(y.storage().doubles(), y.storageOffset(), n));
    }

    /** A new contiguous {@code a @ b} of two 2-D float32 or float64 operands (one dtype, any strides), finished by {@code ep} (null: nothing). */
    private static Tensor product(Tensor a, Tensor b, Epilogue ep) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        Tensor out = Tensor.emptyShared(a.dtype(), new int[] {m, n});
        int[] sa = a.strideRef();
        int[] sb = b.strideRef();
        if (a.dtype() == DType.FLOAT32) {
            Gemm.gemm(m, n, k, a.storage().floats(), a.storageOffset(), sa[0], sa[1], b.storage().floats(), b.storageOffset(),
                    sb[0], sb[1], out.storage().floats(), 0, n, ep);
        } else {
            Gemm.gemm(m, n, k, a.storage().doubles(), a.storageOffset(), sa[0], sa[1], b.storage().doubles(),
                    b.storageOffset(), sb[0], sb[1], out.storage().doubles(), 0, n, ep);
        }
        return out;
    }

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
        if (a.dtype() != dtype) {
            a = copyAs(a, dtype);
        }
        if (b.dtype() != dtype) {
            b = copyAs(b, dtype);
        }
        int[] sa = a.stride();
        int[] sb = b.stride();
        int ao = a.storageOffset();
        int bo = b.storageOffset();
        if (dtype == DType.FLOAT32) {
            float[] A = a.storage().floats();
            float[] B = b.storage().floats();
            float[] C = out.storage().floats();
            for (int p = 0; p < batch; p++) {
                Gemm.gemm(m, n, k, A, ao + p * sa[0], sa[1], sa[2], B, bo + p * sb[0], sb[1], sb[2], C, p * m * n, n);
            }
        } else {
            double[] A = a.storage().doubles();
            double[] B = b.storage().doubles();
            double[] C = out.storage().doubles();
            for (int p = 0; p < batch; p++) {
                Gemm.gemm(m, n, k, A, ao + p * sa[0], sa[1], sa[2], B, bo + p * sb[0], sb[1], sb[2], C, p * m * n, n);
            }
        }
        if (c != null && alpha == 1.0 && beta == 1.0 && c.dim() == 1 && c.dtype() == dtype) {
            addRowVector(out, c, batch * m, n);
            return out;
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

    /** out[r, j] += bias[j] for each of {@code rows} rows: addmm's bias, in the result's precision. */
    private static void addRowVector(Tensor out, Tensor bias, int rows, int n) {
        int bo = bias.storageOffset();
        int bs = bias.size(0) == 1 ? 0 : bias.stride(0);
        if (out.dtype() == DType.FLOAT32) {
            float[] o = out.storage().floats();
            float[] bv = bias.storage().floats();
            for (int r = 0; r < rows; r++) {
                int base = r * n;
                if (bs == 1) {
                    for (int j = 0; j < n; j++) {
                        o[base + j] += bv[bo + j];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        o[base + j] += bv[bo + j * bs];
                    }
                }
            }
        } else {
            double[] o = out.storage().doubles();
            double[] bv = bias.storage().doubles();
            for (int r = 0; r < rows; r++) {
                int base = r * n;
                for (int j = 0; j < n; j++) {
                    o[base + j] += bv[bo + j * bs];
                }
            }
        }
    }

    // ---------------------------------------------------------------- indexing

    /** out[..., i, ...] = x[..., index[i], ...] along {@code dim}. */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int[] shape = x.shape();
        int n = index.numel();
        long[] idx = indices(index, x.size(dim), "index_select");
        shape[dim] = n;
        Tensor out = Tensor.empty(x.dtype(), shape);
        // copy only the selected slices (typed, strided copies): the source may be a whole data set
        for (int i = 0; i < n; i++) {
            copyInto(out.narrowView(dim, i, 1), x.narrowView(dim, (int) idx[i], 1));
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
