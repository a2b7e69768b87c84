package dev.jgrad.kernel;

/** Plain-Java micro-kernels: the fallback when the Vector API module is absent. */
final class ScalarMicroKernels extends MicroKernels {
    private static final int MR = 4;
    private static final int NR = 8;

    ScalarMicroKernels() {
        super(MR, NR, MR, NR, new int[] {MR}, new int[] {MR});
    }

    @Override
    String describe() {
        return "scalar " + MR + "x" + NR;
    }

    @Override
    void blockF(int mr, int mc, int nc, int kc, float[] ap, int aOff, int aPanel, int aRow, int aStep,
                float[] bp, float[] c, int cOff, int ldc, boolean accumulate, float[] tile) {
        for (int j = 0; j < nc; j += NR) {
            int cols = Math.min(NR, nc - j);
            int bo = (j / NR) * NR * kc;
            for (int i = 0; i < mc; i += MR) {
                int rows = Math.min(MR, mc - i);
                int ao = aOff + i * aPanel;
                int co = cOff + i * ldc + j;
                loadTile(c, co, ldc, rows, cols, tile, NR, accumulate);
                for (int p = 0; p < kc; p++) {
                    int bi = bo + p * NR;
                    int ai = ao + p * aStep;
                    for (int r = 0; r < MR; r++) {
                        float av = ap[ai + r * aRow];
                        int t = r * NR;
                        for (int q = 0; q < NR; q++) {
                            tile[t + q] = Math.fma(av, bp[bi + q], tile[t + q]);
                        }
                    }
                }
                storeTile(tile, NR, c, co, ldc, rows, cols);
            }
        }
    }

    @Override
    void blockD(int mr, int mc, int nc, int kc, double[] ap, int aOff, int aPanel, int aRow, int aStep,
                double[] bp, double[] c, int cOff, int ldc, boolean accumulate, double[] tile) {
        for (int j = 0; j < nc; j += NR) {
            int cols = Math.min(NR, nc - j);
            int bo = (j / NR) * NR * kc;
            for (int i = 0; i < mc; i += MR) {
                int rows = Math.min(MR, mc - i);
                int ao = aOff + i * aPanel;
                int co = cOff + i * ldc + j;
                loadTile(c, co, ldc, rows, cols, tile, NR, accumulate);
                for (int p = 0; p < kc; p++) {
                    int bi = bo + p * NR;
                    int ai = ao + p * aStep;
                    for (int r = 0; r < MR; r++) {
                        double av = ap[ai + r * aRow];
                        int t = r * NR;
                        for (int q = 0; q < NR; q++) {
                            tile[t + q] = Math.fma(av, bp[bi + q], tile[t + q]);
                        }
                    }
                }
                storeTile(tile, NR, c, co, ldc, rows, cols);
            }
        }
    }
}
