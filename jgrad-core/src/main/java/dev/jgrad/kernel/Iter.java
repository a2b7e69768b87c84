package dev.jgrad.kernel;

import dev.jgrad.Tensor;

/**
 * Strided iteration over up to three operands broadcast to one shape, without materialising
 * offsets: dimensions of size 1 are dropped, adjacent dimensions that are contiguous in every
 * operand are merged, and the result is walked as rows of the last (merged) dimension. The caller
 * runs a specialised inner loop over each row with the strides {@link #innerA}, {@link #innerB},
 * {@link #innerC}, starting at {@link #offA}, {@link #offB}, {@link #offC}, then calls
 * {@link #next()}. The output (if any) is contiguous and advances by {@link #inner} per row.
 */
final class Iter {
    final int inner;
    final int rows;
    final int innerA;
    final int innerB;
    final int innerC;
    int offA;
    int offB;
    int offC;

    private final int outer;      // number of outer (merged) dimensions
    private final int[] size;     // outer sizes, innermost outer dim last
    private final int[] sa;
    private final int[] sb;
    private final int[] sc;
    private final int[] idx;

    /** Iterates over {@code shape} reading a (and b, c if non-null) broadcast to it. */
    Iter(int[] shape, Tensor a, Tensor b, Tensor c) {
        // the common case first, without allocation: every operand contiguous with this shape, or a single element
        int fa = flatStride(a, shape);
        int fb = b == null ? 0 : flatStride(b, shape);
        int fc = c == null ? 0 : flatStride(c, shape);
        if (fa >= 0 && fb >= 0 && fc >= 0) {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            inner = (int) n;
            rows = 1;
            innerA = fa;
            innerB = fb;
            innerC = fc;
            offA = a.storageOffset();
            offB = b == null ? 0 : b.storageOffset();
            offC = c == null ? 0 : c.storageOffset();
            outer = 0;
            size = NONE;
            sa = NONE;
            sb = NONE;
            sc = NONE;
            idx = NONE;
            return;
        }
        int nd = shape.length;
        int[] ba = broadcastStrides(a, shape);
        int[] bb = b == null ? new int[nd] : broadcastStrides(b, shape);
        int[] bc = c == null ? new int[nd] : broadcastStrides(c, shape);
        // drop size-1 dims and merge contiguous neighbours, from the innermost outwards
        int[] ms = new int[nd];
        int[] ma = new int[nd];
        int[] mb = new int[nd];
        int[] mc = new int[nd];
        int m = 0;
        for (int d = nd - 1; d >= 0; d--) {
            int s = shape[d];
            if (s == 1) {
                continue;
            }
            if (m > 0 && ma[m - 1] * ms[m - 1] == ba[d] && mb[m - 1] * ms[m - 1] == bb[d] && mc[m - 1] * ms[m - 1] == bc[d]) {
                ms[m - 1] *= s;
                continue;
            }
            ms[m] = s;
            ma[m] = ba[d];
            mb[m] = bb[d];
            mc[m] = bc[d];
            m++;
        }
        offA = a.storageOffset();
        offB = b == null ? 0 : b.storageOffset();
        offC = c == null ? 0 : c.storageOffset();
        if (m == 0) {
            inner = 1;
            innerA = 0;
            innerB = 0;
            innerC = 0;
            outer = 0;
            size = new int[0];
            sa = size;
            sb = size;
            sc = size;
            idx = size;
            rows = 1;
            return;
        }
        // merged dims are stored innermost first: index 0 is the inner dimension
        inner = ms[0];
        innerA = ma[0];
        innerB = mb[0];
        innerC = mc[0];
        outer = m - 1;
        size = new int[outer];
        sa = new int[outer];
        sb = new int[outer];
        sc = new int[outer];
        idx = new int[outer];
        long r = 1;
        for (int i = 0; i < outer; i++) {
            size[i] = ms[i + 1];
            sa[i] = ma[i + 1];
            sb[i] = mb[i + 1];
            sc[i] = mc[i + 1];
            r *= size[i];
        }
        rows = (int) r;
    }

    private static final int[] NONE = new int[0];

    /** 1 if t is contiguous with exactly this shape, 0 if it is a single element (broadcast), else -1. */
    private static int flatStride(Tensor t, int[] shape) {
        if (t.numel() == 1) {
            return 0;
        }
        return t.isContiguous() && java.util.Arrays.equals(t.shapeRef(), shape) ? 1 : -1;
    }

    /** Advances the row bases to the next row. */
    void next() {
        for (int i = 0; i < outer; i++) {
            offA += sa[i];
            offB += sb[i];
            offC += sc[i];
            if (++idx[i] < size[i]) {
                return;
            }
            offA -= sa[i] * size[i];
            offB -= sb[i] * size[i];
            offC -= sc[i] * size[i];
            idx[i] = 0;
        }
    }

    /** The strides of {@code t} broadcast to {@code shape}: 0 on broadcast dimensions. */
    static int[] broadcastStrides(Tensor t, int[] shape) {
        int[] tshape = t.shapeRef();
        int[] tstride = t.strideRef();
        int[] out = new int[shape.length];
        int lead = shape.length - tshape.length;
        for (int d = 0; d < tshape.length; d++) {
            out[d + lead] = tshape[d] == 1 && shape[d + lead] != 1 ? 0 : tstride[d];
        }
        return out;
    }
}
