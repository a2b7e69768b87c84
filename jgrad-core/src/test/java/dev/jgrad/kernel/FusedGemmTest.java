package dev.jgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The products with an {@link Epilogue} against the kernels they fuse, bit for bit:
 * {@link Kernels#addmmActivation} against {@code unary(act, mm(a, b, c))} and
 * {@link Kernels#mmReluMasked} against {@code reluBackward(mm(a, b), y)}, for edge sizes around
 * the tiles, products that take two kc blocks or two threads, a linear layer's transposed weight
 * and row-major operands, NaN, zeros and negative zeros where they matter, float32 and float64,
 * 1 and 2 threads; and every blocked path (each micro-kernel, A packed or read in place).
 */
class FusedGemmTest {
    private static final int[] EDGE = {1, 7, 8, 9, 31, 33, 257};
    private final int threadsBefore = Parallel.numThreads();

    @AfterEach
    void restoreThreads() {
        Parallel.setNumThreads(threadsBefore);
    }

    /** Shapes {m, k, n}: the edge sizes, random mixes of them, and the paths' boundaries. */
    private static List<int[]> shapes(Random r) {
        List<int[]> shapes = new ArrayList<>();
        for (int s : EDGE) {
            shapes.add(new int[] {s, s == 257 ? 33 : s, s});
        }
        for (int i = 0; i < 12; i++) {
            shapes.add(new int[] {EDGE[r.nextInt(EDGE.length)], EDGE[r.nextInt(6)], EDGE[r.nextInt(EDGE.length)]});
        }
        shapes.add(new int[] {33, Gemm.KC + 17, 31}); // two kc blocks: the epilogue only after the last
        shapes.add(new int[] {130, 7, 9});            // two mc blocks
        shapes.add(new int[] {257, 65, 257});         // split over two threads (by columns)
        shapes.add(new int[] {300, 70, 200});         // split over two threads (by rows)
        shapes.add(new int[] {5, 0, 17});             // k = 0: act(bias), the mask of zeros
        shapes.add(new int[] {0, 4, 3});              // empty
        return shapes;
    }

    private static Tensor random(Random r, DType t, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Tensor.fromDoubles(v, rows, cols).to(t);
    }

    /** A random [n] vector with special values: NaN, ±0, ±∞ where there is room. */
    private static Tensor bias(Random r, DType t, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        double[] special = {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (int i = 0; i < special.length && 3 * i + 1 < n; i++) {
            v[3 * i + 1] = special[i];
        }
        return Tensor.fromDoubles(v, n).to(t);
    }

    /** A ReLU output to mask with: positives, zeros, negative zeros (not from ReLU, but masked as zeros), NaN. */
    private static Tensor mask(Random r, DType t, int rows, int cols) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            int kind = r.nextInt(10);
            v[i] = kind < 5 ? Math.abs(r.nextGaussian()) : kind < 8 ? 0.0 : kind == 8 ? -0.0 : Double.NaN;
        }
        return Tensor.fromDoubles(v, rows, cols).to(t);
    }

    static void assertSameBits(Tensor actual, Tensor expected, String what) {
        assertThat(actual.shape()).as(what + ": shape").isEqualTo(expected.shape());
        assertThat(actual.dtype()).as(what + ": dtype").isEqualTo(expected.dtype());
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(e[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }

    @Test
    void linearActivationEqualsTheProductThenBiasThenActivation() {
        Random r = new Random(11);
        int checked = 0;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : shapes(r)) {
                int m = s[0];
                int k = s[1];
                int n = s[2];
                Tensor x = random(r, t, m, k);
                if (m * k > 3) {
                    x = x.detach();
                    x.storage().set(2, Double.NaN); // a NaN row: NaN through bias and ReLU
                }
                Tensor weightT = random(r, t, n, k).t();        // a linear layer's wᵀ, read in place
                Tensor rowMajor = random(r, t, k, n);
                Tensor c = bias(r, t, n);
                for (Tensor b : new Tensor[] {weightT, rowMajor}) {
                    for (Tensor bias : new Tensor[] {c, bias(r, t, 1)}) {
                        for (UnaryOp act : new UnaryOp[] {UnaryOp.RELU, UnaryOp.SIGMOID}) {
                            for (int threads = 1; threads <= 2; threads++) {
                                Parallel.setNumThreads(threads);
                                Tensor expected = Kernels.unary(act, Kernels.mm(x, b, bias, 1, 1, t));
                                Tensor actual = Kernels.addmmActivation(x, b, bias, act);
                                assertSameBits(actual, expected, t + " " + act + "(" + m + "x" + k + " @ " + k + "x" + n
                                        + (b == weightT ? " (wᵀ)" : "") + " + bias[" + bias.size(0) + "]), threads " + threads);
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(2 * shapes(new Random(11)).size() * 16);
    }

    @Test
    void reluMaskedProductEqualsTheProductThenReluBackward() {
        Random r = new Random(12);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : shapes(r)) {
                int m = s[0];
                int k = s[1];
                int n = s[2];
                Tensor g = random(r, t, m, k);
                Tensor y = mask(r, t, m, n);
                // the gradient of a linear layer's input: G · W with W [k, n] read through (wᵀ)ᵀ
                for (Tensor w : new Tensor[] {random(r, t, k, n), random(r, t, n, k).t()}) {
                    for (int threads = 1; threads <= 2; threads++) {
                        Parallel.setNumThreads(threads);
                        Tensor expected = Kernels.reluBackward(Kernels.mm(g, w, null, 1, 1, t), y);
                        Tensor actual = Kernels.mmReluMasked(g, w, y);
                        assertSameBits(actual, expected, t + " mask(" + m + "x" + k + " @ " + k + "x" + n + "), threads " + threads);
                    }
                }
            }
        }
    }

    @Test
    void operandsThatDoNotFitAreDeclined() {
        Tensor a = Tensor.fromDoubles(new double[] {1, 2, 3, 4}, 2, 2).to(DType.FLOAT32);
        Tensor bias = Tensor.fromDoubles(new double[] {1, 2}, 2).to(DType.FLOAT32);
        assertThat(Kernels.addmmActivation(a, a, bias.to(DType.FLOAT64), UnaryOp.RELU)).isNull();
        assertThat(Kernels.addmmActivation(a, a, a, UnaryOp.RELU)).isNull();
        assertThat(Kernels.addmmActivation(a, a, bias, UnaryOp.TANH)).isNull();
        assertThat(Kernels.mmReluMasked(a, a, a.t())).as("a transposed mask").isNull();
        assertThat(Kernels.mmReluMasked(a, a, a.to(DType.FLOAT64))).isNull();
        assertThat(Kernels.addmmActivation(a, a, bias, UnaryOp.RELU)).isNotNull();
        assertThat(Kernels.mmReluMasked(a, a, a)).isNotNull();
    }

    @Test
    void everyBlockedPathAppliesTheEpilogueOnceToEachElement() {
        Random r = new Random(13);
        for (int[] s : new int[][] {{9, 7, 31}, {33, Gemm.KC + 5, 40}, {130, 20, 17}, {12, 0, 5}}) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            Tensor a = random(r, DType.FLOAT32, m, k);
            Tensor b = random(r, DType.FLOAT32, k, n);
            Tensor c = bias(r, DType.FLOAT32, n);
            Tensor y = mask(r, DType.FLOAT32, m, n);
            float[] relu = Kernels.unary(UnaryOp.RELU, Kernels.mm(a, b, c, 1, 1, DType.FLOAT32)).toFloatArray();
            float[] masked = Kernels.reluBackward(Kernels.mm(a, b, null, 1, 1, DType.FLOAT32), y).toFloatArray();
            Tensor ad = a.to(DType.FLOAT64);
            Tensor bd = b.to(DType.FLOAT64);
            Tensor cd = c.to(DType.FLOAT64);
            Tensor yd = y.to(DType.FLOAT64);
            double[] reluD = Kernels.unary(UnaryOp.RELU, Kernels.mm(ad, bd, cd, 1, 1, DType.FLOAT64)).toDoubleArray();
            double[] maskedD = Kernels.reluBackward(Kernels.mm(ad, bd, null, 1, 1, DType.FLOAT64), yd).toDoubleArray();
            for (MicroKernels micro : microKernels()) {
                for (boolean direct : new boolean[] {false, true}) {
                    String what = m + "x" + k + "x" + n + " " + micro.describe() + (direct ? ", A in place" : ", A packed");
                    float[] out = new float[m * n];
                    Gemm.blockedF(micro, direct, 0, m, 0, n, k, a.toFloatArray(), 0, k, 1, b.toFloatArray(), 0, n, 1, out, 0, n,
                            Epilogue.biasActivation(c.toFloatArray(), 0, 1, UnaryOp.RELU));
                    assertSameBits(Tensor.fromFloats(out, m, n), Tensor.fromFloats(relu, m, n), what + " bias + relu");
                    Gemm.blockedF(micro, direct, 0, m, 0, n, k, a.toFloatArray(), 0, k, 1, b.toFloatArray(), 0, n, 1, out, 0, n,
                            Epilogue.reluMask(y.toFloatArray(), 0, n));
                    assertSameBits(Tensor.fromFloats(out, m, n), Tensor.fromFloats(masked, m, n), what + " mask");
                    double[] outD = new double[m * n];
                    Gemm.blockedD(micro, direct, 0, m, 0, n, k, ad.toDoubleArray(), 0, k, 1, bd.toDoubleArray(), 0, n, 1, outD, 0, n,
                            Epilogue.biasActivation(cd.toDoubleArray(), 0, 1, UnaryOp.RELU));
                    assertSameBits(Tensor.fromDoubles(outD, m, n), Tensor.fromDoubles(reluD, m, n), what + " float64 bias + relu");
                    Gemm.blockedD(micro, direct, 0, m, 0, n, k, ad.toDoubleArray(), 0, k, 1, bd.toDoubleArray(), 0, n, 1, outD, 0, n,
                            Epilogue.reluMask(yd.toDoubleArray(), 0, n));
                    assertSameBits(Tensor.fromDoubles(outD, m, n), Tensor.fromDoubles(maskedD, m, n), what + " float64 mask");
                }
            }
            float[] small = new float[m * n];
            Gemm.smallF(m, n, k, a.toFloatArray(), 0, k, 1, b.toFloatArray(), 0, n, 1, small, 0, n,
                    Epilogue.biasActivation(c.toFloatArray(), 0, 1, UnaryOp.RELU));
            assertSameBits(Tensor.fromFloats(small, m, n), Tensor.fromFloats(relu, m, n), "small path, B row-major");
            Gemm.smallF(m, n, k, a.toFloatArray(), 0, k, 1, b.t().contiguous().toFloatArray(), 0, 1, k, small, 0, n,
                    Epilogue.reluMask(y.toFloatArray(), 0, n));
            assertSameBits(Tensor.fromFloats(small, m, n), Tensor.fromFloats(masked, m, n), "small path, B transposed");
        }
    }

    @Test
    void epilogueRowKernelsOnTheVectorApiEqualPlainJava() {
        Random r = new Random(14);
        float[] special = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE};
        for (int n = 0; n < 70; n += n < 20 ? 1 : 7) {
            float[] c = new float[n + 5];
            float[] other = new float[n + 3];
            for (int i = 0; i < c.length; i++) {
                c[i] = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian();
            }
            for (int i = 0; i < other.length; i++) {
                other[i] = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian();
            }
            float[] expected = c.clone();
            float[] actual = c.clone();
            OptimKernels.scalar().biasRelu(n, expected, 4, other, 2);
            OptimKernels.get().biasRelu(n, actual, 4, other, 2);
            assertSameBits(Tensor.fromFloats(actual, actual.length), Tensor.fromFloats(expected, expected.length), "biasRelu n=" + n);
            expected = c.clone();
            actual = c.clone();
            OptimKernels.scalar().reluMask(n, expected, 4, other, 2);
            OptimKernels.get().reluMask(n, actual, 4, other, 2);
            assertSameBits(Tensor.fromFloats(actual, actual.length), Tensor.fromFloats(expected, expected.length), "reluMask n=" + n);
        }
    }

    private static List<MicroKernels> microKernels() {
        List<MicroKernels> list = new ArrayList<>();
        list.add(new ScalarMicroKernels());
        if (Gemm.vectorized()) {
            list.add(new VectorMicroKernels(4, 6));
            list.add(new VectorMicroKernels(6, 4));
            if (jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512) {
                list.add(new Vector512MicroKernels(6, 12));
                list.add(new Vector512MicroKernels(12, 6));
            }
        }
        return list;
    }
}
