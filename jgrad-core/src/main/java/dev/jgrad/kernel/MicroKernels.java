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
    /** The preferred tile rows (for large M) and the supported ones. */
    final int mrF;
    final int nrF;
    final int mrD;
    final int nrD;
    final int[] rowsF;
    final int[] rowsD;
    /** Whether the tile rows follow M ({@link #chooseRows}); false: always the preferred rows (tests, benchmarks). */
    boolean adaptive;

    MicroKernels(int mrF, int nrF, int mrD, int nrD, int[] rowsF, int[] rowsD) {
        this.mrF = mrF;
        this.nrF = nrF;
        this.mrD = mrD;
        this.nrD = nrD;
        this.rowsF = rowsF;
        this.rowsD = rowsD;
    }

    /**
     * The tile rows for a product with {@code m} rows: the supported size with the least work,
     * counting padded rows and a fixed cost of two vector loads of B per tile row of k, so that
     * M = 64 takes 8-row tiles (no padding) where 12-row ones would pad 8 rows. Depends on m only
     * (never on timing), so the partition and the results stay fixed.
     */
    static int chooseRows(int m, int preferred, int[] supported) {
        int best = preferred;
        long bestCost = Long.MAX_VALUE;
        for (int mr : supported) {
            if (mr > preferred) {
                continue; // larger tiles than the preferred may spill on this JIT
            }
            long cost = (long) ((m + mr - 1) / mr) * (mr + 2);
            if (cost < bestCost || (cost == bestCost && mr > best)) {
                best = mr;
                bestCost = cost;
            }
        }
        return best;
    }

    int rowsF(int m) {
        return adaptive ? chooseRows(m, mrF, rowsF) : mrF;
    }

    int rowsD(int m) {
        return adaptive ? chooseRows(m, mrD, rowsD) : mrD;
    }

    /** The largest supported tile rows of at most 6 (A read in place with rows that alias in L1), or 0. */
    int fewRowsF() {
        return fewRows(rowsF);
    }

    int fewRowsD() {
        return fewRows(rowsD);
    }

    private static int fewRows(int[] supported) {
        int best = 0;
        for (int r : supported) {
            if (r <= 6 && r > best) {
                best = r;
            }
        }
        return best;
    }

    static String rowsText(int[] rows) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rows.length; i++) {
            b.append(i == 0 ? "" : "|").append(rows[i]);
        }
        return b.toString();
    }

    /** A short name for benchmark tables, e.g. "vector 6x16". */
    abstract String describe();

    /**
     * One block with tiles of {@code mr} rows (one of the supported sizes): row i of A at
     * {@code aOff + i·aPanel} for panel starts i (multiples of mr), its r-th row {@code aRow} further,
     * and each step of p {@code aStep} further: packed A is (kc, 1, mr); A read in place is
     * (rsa, rsa, csa), for whole panels only (mc a multiple of mr). B is packed.
     */
    abstract void blockF(int mr, int mc, int nc, int kc, float[] ap, int aOff, int aPanel, int aRow, int aStep, float[] bp,
                         float[] c, int cOff, int ldc, boolean accumulate, float[] tile);

    abstract void blockD(int mr, int mc, int nc, int kc, double[] ap, int aOff, int aPanel, int aRow, int aStep,
                         double[] bp, double[] c, int cOff, int ldc, boolean accumulate, double[] tile);

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
