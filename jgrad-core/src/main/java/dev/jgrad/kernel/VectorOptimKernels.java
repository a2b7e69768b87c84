package dev.jgrad.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link OptimKernels} on the Vector API (the JIT's preferred species), with a scalar tail. */
final class VectorOptimKernels extends OptimKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    void adamRange(int from, int n, float[] p, int po, float[] g, int go, float[] m, float[] v, float b1, float oneMinusB1,
                   float b2, float oneMinusB2, float bc2Sqrt, float eps, float negStep) {
        if (n - from < S.length()) {
            // shorter than one vector (a tiny network's parameters): no vector constants at all, as
            // C2 does not always remove their boxes when the loop below is never taken
            adamScalar(from, n, p, po, g, go, m, v, b1, oneMinusB1, b2, oneMinusB2, bc2Sqrt, eps, negStep);
            return;
        }
        FloatVector vb1 = FloatVector.broadcast(S, b1);
        FloatVector vOneMinusB1 = FloatVector.broadcast(S, oneMinusB1);
        int i = from;
        int bound = from + S.loopBound(n - from);
        for (; i < bound; i += S.length()) {
            FloatVector gi = FloatVector.fromArray(S, g, go + i);
            FloatVector mi = gi.fma(vOneMinusB1, FloatVector.fromArray(S, m, i).mul(vb1));
            FloatVector vi = gi.mul(oneMinusB2).fma(gi, FloatVector.fromArray(S, v, i).mul(b2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
            FloatVector pi = FloatVector.fromArray(S, p, po + i);
            pi.add(mi.mul(negStep).div(denom)).intoArray(p, po + i);
        }
        adamScalar(i, n, p, po, g, go, m, v, b1, oneMinusB1, b2, oneMinusB2, bc2Sqrt, eps, negStep);
    }

    @Override
    public void reluBackward(int n, float[] g, int go, float[] y, int yo, float[] out) {
        if (n < S.length()) {
            super.reluBackward(n, g, go, y, yo, out);
            return;
        }
        FloatVector zero = FloatVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            VectorMask<Float> le = FloatVector.fromArray(S, y, yo + i).compare(VectorOperators.LE, 0f);
            FloatVector.fromArray(S, g, go + i).blend(zero, le).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = y[yo + i] <= 0f ? 0f : g[go + i];
        }
    }

    @Override
    public void biasRelu(int n, float[] c, int co, float[] bias, int bo) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, c, co + i).add(FloatVector.fromArray(S, bias, bo + i)).max(0f).intoArray(c, co + i);
        }
        for (; i < n; i++) {
            c[co + i] = Math.max(c[co + i] + bias[bo + i], 0f);
        }
    }

    @Override
    public void reluMask(int n, float[] c, int co, float[] y, int yo) {
        if (n < S.length()) {
            super.reluMask(n, c, co, y, yo);
            return;
        }
        FloatVector zero = FloatVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            VectorMask<Float> le = FloatVector.fromArray(S, y, yo + i).compare(VectorOperators.LE, 0f);
            FloatVector.fromArray(S, c, co + i).blend(zero, le).intoArray(c, co + i);
        }
        for (; i < n; i++) {
            c[co + i] = y[yo + i] <= 0f ? 0f : c[co + i];
        }
    }

    @Override
    public void relu(int n, float[] x, int xo, float[] out) {
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).max(0f).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = Math.max(x[xo + i], 0f);
        }
    }

    @Override
    public void gatherPanel(int kc, float[] b, int src, int rsb, int csb, float[] bp, int d, int nr) {
        int lanes = S.length();
        if (nr % lanes != 0) {
            super.gatherPanel(kc, b, src, rsb, csb, bp, d, nr);
            return;
        }
        int[] index = new int[lanes];
        for (int q = 0; q < lanes; q++) {
            index[q] = q * csb;
        }
        int groups = nr / lanes;
        int groupStride = lanes * csb;
        for (int p = 0; p < kc; p++) {
            int row = src + p * rsb;
            int out = d + p * nr;
            for (int v = 0; v < groups; v++) {
                FloatVector.fromArray(S, b, row + v * groupStride, index, 0).intoArray(bp, out + v * lanes);
            }
        }
    }
}
