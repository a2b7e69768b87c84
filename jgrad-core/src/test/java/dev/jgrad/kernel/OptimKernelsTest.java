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
}
