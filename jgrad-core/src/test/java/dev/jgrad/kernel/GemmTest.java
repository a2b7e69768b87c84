package dev.jgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The matrix-product kernels against the simplest implementation: one fused multiply-add chain
 * per output element over k in order. Every path (small, blocked with each micro-kernel, 1 and 2
 * threads) must give the same bits, for edge sizes around the tile sizes, transposed and strided
 * operands, in float32 and float64.
 */
class GemmTest {
    private static final int[] EDGE = {1, 7, 8, 9, 31, 33, 257};
    private final int threadsBefore = Parallel.numThreads();

    @AfterEach
    void restoreThreads() {
        Parallel.setNumThreads(threadsBefore);
    }

    /** A matrix stored in a larger array: element (i, j) at off + i·rs + j·cs. */
    private static final class Layout {
        final String name;
        final int off;
        final int rs;
        final int cs;
        final int length;

        Layout(String name, int off, int rs, int cs, int length) {
            this.name = name;
            this.off = off;
            this.rs = rs;
            this.cs = cs;
            this.length = length;
        }

        /** Row-major, column-major (a transposed view), or strided with gaps and an offset. */
        static List<Layout> all(int rows, int cols) {
            List<Layout> l = new ArrayList<>();
            l.add(new Layout("row-major", 0, cols, 1, rows * cols));
            l.add(new Layout("transposed", 0, 1, rows, rows * cols));
            l.add(new Layout("strided", 3, 2 * cols + 1, 2, 3 + (rows - 1) * (2 * cols + 1) + 2 * (cols - 1) + 1));
            return l;
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
                list.add(new Vector512MicroKernels(8, 8));
                list.add(new Vector512MicroKernels(12, 6));
            }
        }
        return list;
    }

    private static float[] randomF(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // one in eight a signed zero (as after a ReLU): products of −0 must still sum to +0
            x[i] = r.nextInt(8) == 0 ? (r.nextBoolean() ? 0f : -0f) : (float) r.nextGaussian();
        }
        return x;
    }

    private static double[] randomD(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(8) == 0 ? (r.nextBoolean() ? 0.0 : -0.0) : r.nextGaussian();
        }
        return x;
    }

    private static float[] referenceF(int m, int n, int k, float[] a, Layout la, float[] b, Layout lb) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[la.off + i * la.rs + p * la.cs], b[lb.off + p * lb.rs + j * lb.cs], acc);
                }
                c[i * n + j] = acc;
            }
        }
        return c;
    }

    private static double[] referenceD(int m, int n, int k, double[] a, Layout la, double[] b, Layout lb) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0.0;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[la.off + i * la.rs + p * la.cs], b[lb.off + p * lb.rs + j * lb.cs], acc);
                }
                c[i * n + j] = acc;
            }
        }
        return c;
    }

    private static void assertSameBits(float[] actual, float[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    private static void assertSameBits(double[] actual, double[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(actual[i]) != Double.doubleToRawLongBits(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    private static List<int[]> shapes(Random r) {
        List<int[]> shapes = new ArrayList<>();
        for (int s : EDGE) {
            shapes.add(new int[] {s, s, s == 257 ? 33 : s});
        }
        for (int i = 0; i < 14; i++) {
            shapes.add(new int[] {EDGE[r.nextInt(EDGE.length)], EDGE[r.nextInt(EDGE.length)], EDGE[r.nextInt(6)]});
        }
        shapes.add(new int[] {33, 31, Gemm.KC + 17}); // two kc blocks: continues from C
        shapes.add(new int[] {130, 9, 7});     // two mc blocks
        shapes.add(new int[] {5, 17, 0});      // k = 0: zeros
        shapes.add(new int[] {13, 40, 1024});  // row-major A with rows 4 KiB apart: read in place with short tiles
        return shapes;
    }

    @Test
    void float32EveryPathMatchesTheReferenceBitForBit() {
        Random r = new Random(42);
        int checked = 0;
        for (int[] s : shapes(r)) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (Layout la : Layout.all(m, k)) {
                for (Layout lb : Layout.all(k, n)) {
                    float[] a = randomF(r, Math.max(la.length, 1));
                    float[] b = randomF(r, Math.max(lb.length, 1));
                    float[] expected = referenceF(m, n, k, a, la, b, lb);
                    String what = m + "x" + k + " @ " + k + "x" + n + " (" + la.name + ", " + lb.name + ")";
                    for (int threads = 1; threads <= 2; threads++) {
                        Parallel.setNumThreads(threads);
                        float[] c = new float[m * n + 5];
                        java.util.Arrays.fill(c, Float.NaN); // C is overwritten, never read
                        Gemm.gemm(m, n, k, a, la.off, la.rs, la.cs, b, lb.off, lb.rs, lb.cs, c, 5, n);
                        assertSameBits(java.util.Arrays.copyOfRange(c, 5, c.length), expected, what + " gemm, threads " + threads);
                    }
                    float[] small = new float[m * n];
                    java.util.Arrays.fill(small, Float.NaN);
                    Gemm.smallF(m, n, k, a, la.off, la.rs, la.cs, b, lb.off, lb.rs, lb.cs, small, 0, n);
                    assertSameBits(small, expected, what + " small path");
                    for (MicroKernels micro : microKernels()) {
                        for (boolean direct : new boolean[] {false, true}) {
                            float[] c = new float[m * n];
                            Gemm.blockedF(micro, direct, 0, m, 0, n, k, a, la.off, la.rs, la.cs, b, lb.off, lb.rs, lb.cs, c, 0, n);
                            assertSameBits(c, expected, what + " blocked " + micro.describe() + (direct ? ", A in place" : ", A packed"));
                        }
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(shapes(new Random(42)).size() * 9);
    }

    @Test
    void float64EveryPathMatchesTheReferenceBitForBit() {
        Random r = new Random(7);
        for (int[] s : shapes(r)) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (Layout la : Layout.all(m, k)) {
                for (Layout lb : Layout.all(k, n)) {
                    double[] a = randomD(r, Math.max(la.length, 1));
                    double[] b = randomD(r, Math.max(lb.length, 1));
                    double[] expected = referenceD(m, n, k, a, la, b, lb);
                    String what = m + "x" + k + " @ " + k + "x" + n + " (" + la.name + ", " + lb.name + ")";
                    for (int threads = 1; threads <= 2; threads++) {
                        Parallel.setNumThreads(threads);
                        double[] c = new double[m * n];
                        java.util.Arrays.fill(c, Double.NaN);
                        Gemm.gemm(m, n, k, a, la.off, la.rs, la.cs, b, lb.off, lb.rs, lb.cs, c, 0, n);
                        assertSameBits(c, expected, what + " gemm, threads " + threads);
                    }
                    double[] small = new double[m * n];
                    java.util.Arrays.fill(small, Double.NaN);
                    Gemm.smallD(m, n, k, a, la.off, la.rs, la.cs, b, lb.off, lb.rs, lb.cs, small, 0, n);
                    assertSameBits(small, expected, what + " small path");
                    for (MicroKernels micro : microKernels()) {
                        for (boolean direct : new boolean[] {false, true}) {
                            double[] c = new double[m * n];
                            Gemm.blockedD(micro, direct, 0, m, 0, n, k, a, la.off, la.rs, la.cs, b, lb.off, lb.rs, lb.cs, c, 0, n);
                            assertSameBits(c, expected, what + " blocked " + micro.describe() + (direct ? ", A in place" : ", A packed"));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aSubRectangleTouchesNothingOutsideIt() {
        Random r = new Random(3);
        int m = 40;
        int n = 50;
        int k = 20;
        float[] a = randomF(r, m * k);
        float[] b = randomF(r, k * n);
        float[] c = new float[m * n];
        java.util.Arrays.fill(c, -7f);
        Gemm.blockedF(Gemm.MICRO, true, 6, 18, 16, 48, k, a, 0, k, 1, b, 0, n, 1, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                boolean inside = i >= 6 && i < 18 && j >= 16 && j < 48;
                if (!inside) {
                    assertThat(c[i * n + j]).as("C[%d][%d] outside the block", i, j).isEqualTo(-7f);
                } else {
                    assertThat(c[i * n + j]).as("C[%d][%d] inside the block", i, j).isNotEqualTo(-7f);
                }
            }
        }
    }

    @Test
    void thePartitionCoversEachUnitOnceWithWholeTiles() {
        for (int size : new int[] {1, 7, 33, 257, 1024}) {
            for (int parts = 1; parts <= 5; parts++) {
                int prevEnd = 0;
                for (int p = 0; p < parts; p++) {
                    int start = Gemm.split(size, 6, p, parts);
                    int end = Gemm.split(size, 6, p + 1, parts);
                    assertThat(start).isEqualTo(prevEnd);
                    assertThat(start % 6 == 0 || start == size).isTrue();
                    prevEnd = end;
                }
                assertThat(prevEnd).isEqualTo(size);
            }
        }
    }
}
