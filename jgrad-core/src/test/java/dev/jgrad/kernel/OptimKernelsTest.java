package dev.jgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector API Adam pass against the scalar one: the same bits, for lengths around the vector width. */
class OptimKernelsTest {
    @Test
    void vectorAndScalarAdamAgreeBitForBit() {
        Random r = new Random(9);
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 15, 16, 17, 20, 24, 28, 31, 33, 257, OptimKernels.PARALLEL_ELEMENTS + 33}) {
            float[] p1 = new float[n + 3];
            float[] g = new float[n + 5];
            float[] m1 = new float[n];
            float[] v1 = new float[n];
            for (int i = 0; i < p1.length; i++) {
                p1[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                m1[i] = (float) r.nextGaussian() * 0.1f;
                v1[i] = (float) Math.abs(r.nextGaussian()) * 0.01f;
            }
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) r.nextGaussian() * (i % 3 == 0 ? 1e-4f : 3f);
            }
            float[] p2 = p1.clone();
            float[] m2 = m1.clone();
            float[] v2 = v1.clone();
            float[] before = p1.clone();
            int threads = Parallel.numThreads();
            Parallel.setNumThreads(2);
            try {
                OptimKernels.get().adam(n, p1, 3, g, 5, m1, v1, 0.9f, 0.1f, 0.999f, 0.001f, 0.03f, 1e-8f, -0.01f);
            } finally {
                Parallel.setNumThreads(threads);
            }
            OptimKernels.scalar().adam(n, p2, 3, g, 5, m2, v2, 0.9f, 0.1f, 0.999f, 0.001f, 0.03f, 1e-8f, -0.01f);
            assertThat(p1).as("params, n = %d", n).isEqualTo(p2);
            assertThat(m1).as("m, n = %d", n).isEqualTo(m2);
            assertThat(v1).as("v, n = %d", n).isEqualTo(v2);
            assertThat(p1[0]).isEqualTo(before[0]); // before the offset: untouched
            assertThat(p1[3]).isNotEqualTo(before[3]);
        }
    }

    /**
     * Elements with a zero gradient take a path free of subnormal float instructions; it must give the
     * bits of the plain float formula, whatever m, v and p hold (subnormal, signed zero, huge, NaN).
     */
    @Test
    void zeroGradientUpdateGivesThePlainFloatBits() {
        Random r = new Random(10);
        float[][] hyper = {{0.9f, 0.1f, 0.999f, 0.001f, 0.03f, 1e-8f, -0.01f}, {0.5f, 0.5f, 0.25f, 0.75f, 1f, 0f, -3e-7f},
            {0f, 1f, 0.99f, 0.01f, 0.1f, 1e-30f, 1e30f}};
        for (int k = 0; k < 300_000; k++) {
            float[] h = hyper[k % hyper.length];
            float m = anyFloat(r);
            float v = Math.abs(anyFloat(r));
            float p = anyFloat(r);
            float g = r.nextBoolean() ? 0f : -0f;
            float[] pa = {p};
            float[] ma = {m};
            float[] va = {v};
            OptimKernels.scalar().adam(1, pa, 0, new float[] {g}, 0, ma, va, h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
            float mi = Math.fma(h[1], g, m * h[0]);
            float vi = Math.fma(h[3] * g, g, v * h[2]);
            float pi = p + (h[6] * mi) / ((float) Math.sqrt(vi) / h[4] + h[5]);
            String what = String.format("m %a v %a p %a g %s hyper %d", m, v, p, g, k % hyper.length);
            assertThat(Float.floatToIntBits(ma[0])).as("m: " + what).isEqualTo(Float.floatToIntBits(mi));
            assertThat(Float.floatToIntBits(va[0])).as("v: " + what).isEqualTo(Float.floatToIntBits(vi));
            assertThat(Float.floatToIntBits(pa[0])).as("p: " + what).isEqualTo(Float.floatToIntBits(pi));
        }
    }

    /** Mostly subnormal and tiny floats, some zeros, ordinary values and a few infinities and NaNs. */
    private static float anyFloat(Random r) {
        return switch (r.nextInt(8)) {
            case 0, 1, 2 -> Float.intBitsToFloat(r.nextInt() & 0x807fffff); // subnormal or ±0
            case 3 -> Float.intBitsToFloat((r.nextInt() & 0x80ffffff) | (r.nextBoolean() ? 0 : 0x800000)); // near the smallest normal
            case 4 -> r.nextBoolean() ? 0f : -0f;
            case 5 -> Float.intBitsToFloat(r.nextInt()); // anything, NaN and infinity included
            default -> (float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(40) - 30));
        };
    }
}
