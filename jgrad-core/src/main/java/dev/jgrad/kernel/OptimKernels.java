package dev.jgrad.kernel;

/**
 * Float32 loops that C2 does not vectorise by itself: the optimizer update and ReLU's backward
 * select. Optimizer update loops over float32 arrays. The default Adam update runs on the Vector API
 * ({@link VectorOptimKernels}) when the module is present, else in scalar Java; both compute
 * each element with the same IEEE float operations (multiply, fused multiply-add, square root,
 * divide, add), so the results are identical.
 */
public abstract class OptimKernels {
    private static final OptimKernels INSTANCE = load();

    private static OptimKernels load() {
        if (!"scalar".equals(System.getProperty("jgrad.gemm", "")) && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (OptimKernels) Class.forName("dev.jgrad.kernel.VectorOptimKernels").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // scalar below
            }
        }
        return new OptimKernels() { };
    }

    /** The implementation in use. */
    public static OptimKernels get() {
        return INSTANCE;
    }

    /** The plain-Java implementation (for tests). */
    public static OptimKernels scalar() {
        return new OptimKernels() { };
    }

    /**
     * Adam without weight decay, maximize or amsgrad, one pass over n elements:
     * {@code m = fma(1−β₁, g, m·β₁)}, {@code v = fma((1−β₂)·g, g, v·β₂)},
     * {@code p = p + (−step·m) / (√v / √bc₂ + ε)}, every operation rounded to float as PyTorch's kernel.
     */
    public final void adam(int n, float[] p, int po, float[] g, int go, float[] m, float[] v, float b1, float oneMinusB1,
                           float b2, float oneMinusB2, float bc2Sqrt, float eps, float negStep) {
        int threads = Parallel.numThreads();
        if (threads > 1 && n >= PARALLEL_ELEMENTS) {
            // element-wise: any fixed split gives the same bits; whole 64-element blocks per part
            Parallel.run(threads, (part, parts) -> adamRange(Gemm.split(n, 64, part, parts), Gemm.split(n, 64, part + 1, parts),
                    p, po, g, go, m, v, b1, oneMinusB1, b2, oneMinusB2, bc2Sqrt, eps, negStep));
            return;
        }
        adamRange(0, n, p, po, g, go, m, v, b1, oneMinusB1, b2, oneMinusB2, bc2Sqrt, eps, negStep);
    }

    /**
     * {@code out[i] = y[yo + i] <= 0 ? 0 : g[go + i]} (ReLU's backward; NaN in y keeps g, as the
     * comparison is false).
     */
    public void reluBackward(int n, float[] g, int go, float[] y, int yo, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = y[yo + i] <= 0f ? 0f : g[go + i];
        }
    }

    /**
     * {@code c[co + i] = max(c[co + i] + bias[bo + i], +0)} in place: a linear layer's bias and ReLU
     * on one row of a product (its {@link Epilogue}), each operation as {@link #relu} after the bias.
     */
    public void biasRelu(int n, float[] c, int co, float[] bias, int bo) {
        for (int i = 0; i < n; i++) {
            c[co + i] = Math.max(c[co + i] + bias[bo + i], 0f);
        }
    }

    /** {@code c[co + i] = y[yo + i] <= 0 ? +0 : c[co + i]} in place: {@link #reluBackward} on one row of a product. */
    public void reluMask(int n, float[] c, int co, float[] y, int yo) {
        for (int i = 0; i < n; i++) {
            c[co + i] = y[yo + i] <= 0f ? 0f : c[co + i];
        }
    }

    /** {@code out[i] = max(x[xo + i], +0)}: ReLU (NaN stays NaN, −0 becomes +0). */
    public void relu(int n, float[] x, int xo, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(x[xo + i], 0f);
        }
    }

    /**
     * Packs a full panel of a transposed operand: {@code bp[d + p·nr + q] = b[src + p·rsb + q·csb]}
     * for p < kc, q < nr (the columns of B are rows of the array: a gather per vector).
     */
    public void gatherPanel(int kc, float[] b, int src, int rsb, int csb, float[] bp, int d, int nr) {
        for (int p1 = 0; p1 < kc; p1 += 16) {
            int pe = Math.min(kc, p1 + 16);
            for (int q = 0; q < nr; q++) {
                for (int p = p1, o = d + q + p1 * nr, i = src + p1 * rsb + q * csb; p < pe; p++, o += nr, i += rsb) {
                    bp[o] = b[i];
                }
            }
        }
    }

    /** Elements at least this many are updated by all threads. */
    static final int PARALLEL_ELEMENTS = 1 << 16;

    /** The update of elements [from, to). */
    void adamRange(int from, int to, float[] p, int po, float[] g, int go, float[] m, float[] v, float b1,
                   float oneMinusB1, float b2, float oneMinusB2, float bc2Sqrt, float eps, float negStep) {
        adamScalar(from, to, p, po, g, go, m, v, b1, oneMinusB1, b2, oneMinusB2, bc2Sqrt, eps, negStep);
    }

    static void adamScalar(int from, int n, float[] p, int po, float[] g, int go, float[] m, float[] v, float b1,
                           float oneMinusB1, float b2, float oneMinusB2, float bc2Sqrt, float eps, float negStep) {
        for (int i = from; i < n; i++) {
            float gi = g[go + i];
            if (gi == 0f) {
                adamZeroGrad(i, p, po + i, gi, m, v, b1, b2, bc2Sqrt, eps, negStep);
                continue;
            }
            float mi = Math.fma(oneMinusB1, gi, m[i] * b1);
            float vi = Math.fma(oneMinusB2 * gi, gi, v[i] * b2);
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p[po + i] = p[po + i] + (negStep * mi) / denom;
        }
    }

    /**
     * One element of {@link #adamScalar} whose gradient is ±0, with the same float results computed by
     * {@link SubnormalSafe}: m and v only decay there and soon become subnormal, where plain float
     * operations would take a microcode assist each.
     */
    private static void adamZeroGrad(int i, float[] p, int pi, float gi, float[] m, float[] v, float b1, float b2,
                                     float bc2Sqrt, float eps, float negStep) {
        // fma(1−β₁, ±0, m·β₁) is m·β₁, or when that is a zero, the sum of it and (1−β₁)·g (1−β₁ > 0), which
        // is −0 only when both are −0; decided on the bits, as even a comparison is a subnormal operation
        float mi = SubnormalSafe.zeroSum(SubnormalSafe.round(SubnormalSafe.widen(m[i]) * b1), gi);
        // fma((1−β₂)·±0, ±0, v·β₂): v·β₂, or the sum of a zero with +0 (the product of two equal zeros)
        float vi = SubnormalSafe.zeroSum(SubnormalSafe.round(SubnormalSafe.widen(v[i]) * b2), 0f);
        m[i] = mi;
        v[i] = vi;
        float num = SubnormalSafe.round(negStep * SubnormalSafe.widen(mi));
        if (SubnormalSafe.isZero(num) && eps > 0f && bc2Sqrt > 0f && !SubnormalSafe.isNaN(vi)) {
            // the denominator is in (0, +∞]: the step is a zero with num's sign (the usual end of decay)
            p[pi] = SubnormalSafe.zeroSum(p[pi], num);
            return;
        }
        float denom = (float) Math.sqrt(SubnormalSafe.widen(vi)) / bc2Sqrt + eps; // √ of a float is ≥ 2^-75: normal
        float step = SubnormalSafe.round(SubnormalSafe.widen(num) / denom);
        p[pi] = SubnormalSafe.round(SubnormalSafe.widen(p[pi]) + SubnormalSafe.widen(step));
    }
}
