package dev.jgrad.kernel;

/**
 * The register-tiled inner part of the blocked matrix product: computes one packed block
 * (mc × kc of A, kc × nc of B) into C. One implementation is chosen when the JVM starts
 * ({@link VectorMicroKernels} when the {@code jdk.incubator.vector} module is present,
 * {@link ScalarMicroKernels} otherwise), so the call site stays monomorphic.
 *
 * <p>Packed layouts: A in micro-panels of {@link #mrF} rows, {@code ap[panel·mr·kc + p·mr + r]};
 * B in micro-panels of {@link #nrF} columns, {@code bp[panel·nr·kc + p·nr + c]}; padding is zero.
 * Every element of C is one chain of fused multiply-adds over p in order, starting from zero
 * ({@code accumulate == false}) or from C's current value (the next kc block): the arithmetic of
 * the simple i-k-j loop, whatever the blocking.
 */
abstract class MicroKernels {
    final int mrF;
    final int nrF;
    final int mrD;
    final int nrD;

    MicroKernels(int mrF, int nrF, int mrD, int nrD) {
        this.mrF = mrF;
        this.nrF = nrF;
        this.mrD = mrD;
        this.nrD = nrD;
    }

    /** A short name for benchmark tables, e.g. "vector 6x16". */
    abstract String describe();

    abstract void blockF(int mc, int nc, int kc, float[] ap, float[] bp, float[] c, int cOff, int ldc,
                         boolean accumulate, float[] tile);

    abstract void blockD(int mc, int nc, int kc, double[] ap, double[] bp, double[] c, int cOff, int ldc,
                         boolean accumulate, double[] tile);

    /** Copies the valid rows × cols corner of C into the tile (or zeros it), for edge tiles. */
    static void loadTile(float[] c, int cOff, int ldc, int rows, int cols, float[] tile, int nr, boolean accumulate) {
        java.util.Arrays.fill(tile, 0f);
        if (accumulate) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, cOff + r * ldc, tile, r * nr, cols);
            }
        }
    }

    static void storeTile(float[] tile, int nr, float[] c, int cOff, int ldc, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * nr, c, cOff + r * ldc, cols);
        }
    }

    static void loadTile(double[] c, int cOff, int ldc, int rows, int cols, double[] tile, int nr, boolean accumulate) {
        java.util.Arrays.fill(tile, 0.0);
        if (accumulate) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, cOff + r * ldc, tile, r * nr, cols);
            }
        }
    }

    static void storeTile(double[] tile, int nr, double[] c, int cOff, int ldc, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * nr, c, cOff + r * ldc, cols);
        }
    }
}
