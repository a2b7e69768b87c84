package dev.jgrad.hand;

import dev.jgrad.Tensor;
import dev.jgrad.storage.Shapes;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * A plain n-dimensional array of doubles, row-major, with the few loops a derivation by hand needs
 * (numpy's role in the seed notebook): element-wise maps with broadcasting, matrix products,
 * transposes and sums. It never touches autograd, so what it computes is independent of the
 * engine's backward functions.
 * <pre>{@code
 * NdArray a = NdArray.of(new double[][] {{1, 2}, {3, 4}});
 * NdArray z = a.matmul(w.transpose()).add(b); // b broadcast over the rows
 * }</pre>
 */
public final class NdArray {
    private final double[] data;
    private final int[] shape;

    private NdArray(double[] data, int[] shape) {
        if (data.length != Shapes.numel(shape)) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " does not hold " + data.length + " values");
        }
        this.data = data;
        this.shape = shape;
    }

    /** An array of {@code shape} holding {@code data} (copied). */
    public static NdArray of(double[] data, int... shape) {
        return new NdArray(data.clone(), shape.clone());
    }

    /** A matrix from rows. */
    public static NdArray of(double[][] rows) {
        int n = rows.length;
        int m = n == 0 ? 0 : rows[0].length;
        double[] d = new double[n * m];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, d, i * m, m);
        }
        return new NdArray(d, new int[] {n, m});
    }

    /** A 0-d array. */
    public static NdArray scalar(double v) {
        return new NdArray(new double[] {v}, new int[0]);
    }

    /** The values of a tensor (any dtype), detached. */
    public static NdArray of(Tensor t) {
        return new NdArray(t.toDoubleArray(), t.shape());
    }

    /** Zeros of {@code shape}. */
    public static NdArray zeros(int... shape) {
        return new NdArray(new double[Shapes.numel(shape)], shape.clone());
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    public int dim() {
        return shape.length;
    }

    public int size(int d) {
        return shape[d < 0 ? d + shape.length : d];
    }

    public int numel() {
        return data.length;
    }

    /** Element {@code i} in row-major order. */
    public double at(int i) {
        return data[i];
    }

    /** Element of a matrix. */
    public double at(int row, int col) {
        return data[row * shape[1] + col];
    }

    /** The values, row-major (a copy). */
    public double[] values() {
        return data.clone();
    }

    /** As a float64 tensor for printing (negative zeros, from 0 × a negative number, print as zeros). */
    public Tensor toTensor() {
        double[] d = data.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] += 0.0;
        }
        return Tensor.fromDoubles(d, shape.clone());
    }

    /** The same values viewed with another shape of the same size. */
    public NdArray reshape(int... newShape) {
        return new NdArray(data, Shapes.inferSize(newShape, data.length));
    }

    /** f applied to every element. */
    public NdArray map(DoubleUnaryOperator f) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(data[i]);
        }
        return new NdArray(out, shape);
    }

    /** f applied element-wise to this and {@code other}, broadcasting both (numpy's rules). */
    public NdArray zip(NdArray other, DoubleBinaryOperator f) {
        int[] out = Shapes.broadcast(shape, other.shape, "hand");
        NdArray a = broadcastTo(out);
        NdArray b = other.broadcastTo(out);
        double[] r = new double[a.data.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = f.applyAsDouble(a.data[i], b.data[i]);
        }
        return new NdArray(r, out);
    }

    public NdArray add(NdArray o) {
        return zip(o, Double::sum);
    }

    public NdArray sub(NdArray o) {
        return zip(o, (x, y) -> x - y);
    }

    public NdArray mul(NdArray o) {
        return zip(o, (x, y) -> x * y);
    }

    public NdArray div(NdArray o) {
        return zip(o, (x, y) -> x / y);
    }

    public NdArray mul(double c) {
        return map(x -> x * c);
    }

    /** Copies of this array repeated along new leading and size-1 dimensions up to {@code target}. */
    public NdArray broadcastTo(int[] target) {
        if (Arrays.equals(shape, target)) {
            return this;
        }
        int lead = target.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("cannot broadcast " + Shapes.format(shape) + " to " + Shapes.format(target));
        }
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1 && shape[d] != target[d + lead]) {
                throw new IllegalArgumentException("cannot broadcast " + Shapes.format(shape) + " to " + Shapes.format(target));
            }
        }
        int n = Shapes.numel(target);
        double[] out = new double[n];
        int[] srcStrides = Shapes.contiguousStrides(shape);
        int[] idx = new int[target.length];
        for (int i = 0; i < n; i++) {
            int src = 0;
            for (int d = 0; d < shape.length; d++) {
                int k = idx[d + lead];
                src += (shape[d] == 1 ? 0 : k) * srcStrides[d];
            }
            out[i] = data[src];
            for (int d = target.length - 1; d >= 0; d--) {
                if (++idx[d] < target[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new NdArray(out, target.clone());
    }

    /** Sums over the dimensions that broadcasting added or expanded, giving {@code target}'s shape. */
    public NdArray sumTo(int[] target) {
        if (Arrays.equals(shape, target)) {
            return this;
        }
        int lead = shape.length - target.length;
        double[] out = new double[Shapes.numel(target)];
        int[] outStrides = Shapes.contiguousStrides(target);
        int[] idx = new int[shape.length];
        for (int i = 0; i < data.length; i++) {
            int dst = 0;
            for (int d = 0; d < target.length; d++) {
                dst += (target[d] == 1 ? 0 : idx[d + lead]) * outStrides[d];
            }
            out[dst] += data[i];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new NdArray(out, target.clone());
    }

    /** Sum over dimension {@code dim}, kept as size 1. */
    public NdArray sumKeep(int dim) {
        int d = Shapes.wrapDim(dim, shape.length);
        int[] target = shape.clone();
        target[d] = 1;
        return sumTo(target);
    }

    /** The sum of all elements. */
    public double sum() {
        double s = 0;
        for (double v : data) {
            s += v;
        }
        return s;
    }

    /** Matrix product of two 2-D arrays. */
    public NdArray matmul(NdArray o) {
        if (dim() != 2 || o.dim() != 2 || shape[1] != o.shape[0]) {
            throw new IllegalArgumentException("matmul: " + Shapes.format(shape) + " @ " + Shapes.format(o.shape));
        }
        int n = shape[0];
        int k = shape[1];
        int m = o.shape[1];
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += data[i * k + t] * o.data[t * m + j];
                }
                out[i * m + j] = s;
            }
        }
        return new NdArray(out, new int[] {n, m});
    }

    /** Swaps two dimensions (a copy). */
    public NdArray transpose(int d0, int d1) {
        if (shape.length < 2) {
            return this;
        }
        int a = Shapes.wrapDim(d0, shape.length);
        int b = Shapes.wrapDim(d1, shape.length);
        int[] outShape = shape.clone();
        outShape[a] = shape[b];
        outShape[b] = shape[a];
        int[] inStrides = Shapes.contiguousStrides(shape);
        int[] perm = new int[shape.length];
        for (int d = 0; d < perm.length; d++) {
            perm[d] = d == a ? b : d == b ? a : d;
        }
        double[] out = new double[data.length];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            int src = 0;
            for (int d = 0; d < outShape.length; d++) {
                src += idx[d] * inStrides[perm[d]];
            }
            out[i] = data[src];
            for (int d = outShape.length - 1; d >= 0; d--) {
                if (++idx[d] < outShape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new NdArray(out, outShape);
    }

    /** The transpose of a matrix ({@code .T}); vectors and scalars are returned as they are. */
    public NdArray transpose() {
        return transpose(0, 1);
    }

    /** Row {@code i} of a matrix as a [1, m] array. */
    public NdArray row(int i) {
        int m = shape[1];
        return new NdArray(Arrays.copyOfRange(data, i * m, (i + 1) * m), new int[] {1, m});
    }

    /** Rows {@code from} .. {@code to - 1} along dimension 0. */
    public NdArray rows(int from, int to) {
        int inner = shape.length == 0 ? 1 : data.length / Math.max(1, shape[0]);
        int[] s = shape.clone();
        s[0] = to - from;
        return new NdArray(Arrays.copyOfRange(data, from * inner, to * inner), s);
    }

    /** The largest absolute element-wise difference (NaN if the shapes differ or a value is NaN). */
    public double maxAbsDiff(NdArray o) {
        if (!Arrays.equals(shape, o.shape)) {
            return Double.NaN;
        }
        double m = 0;
        for (int i = 0; i < data.length; i++) {
            double d = Math.abs(data[i] - o.data[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            m = Math.max(m, d);
        }
        return m;
    }

    /** The largest absolute value. */
    public double maxAbs() {
        double m = 0;
        for (double v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** The Frobenius norm. */
    public double norm() {
        double s = 0;
        for (double v : data) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Override
    public String toString() {
        return "NdArray" + Shapes.format(shape) + Arrays.toString(data);
    }
}
