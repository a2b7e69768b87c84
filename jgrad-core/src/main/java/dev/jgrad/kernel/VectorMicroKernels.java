package dev.jgrad.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Micro-kernels on the JDK Vector API (256-bit species, fused multiply-add): a tile of mr rows ×
 * two vectors of C stays in registers while p runs over the packed panels. mr is 6 on JDK 17
 * (12 accumulators) and 4 on later JDKs, whose register allocator spills one accumulator of the
 * 6-row tile (docs: shared notes on CPU performance). Loaded by reflection only when the
 * {@code jdk.incubator.vector} module is present.
 *
 * <p>Generated code (one line per accumulator); each accumulator c{r}{v} is row r, vector v.
 */
final class VectorMicroKernels extends MicroKernels {
    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_256;

    VectorMicroKernels() {
        this(Runtime.version().feature() >= 21 ? 4 : 6);
    }

    VectorMicroKernels(int mr) {
        super(mr, 16, mr, 8);
        if (mr != 4 && mr != 6) {
            throw new IllegalArgumentException("mr must be 4 or 6, got " + mr);
        }
        if (SF.length() != 8 || SD.length() != 4) {
            throw new IllegalStateException("256-bit species expected");
        }
    }

    @Override
    String describe() {
        return "Vector API " + mrF + "x16 (float32), " + mrD + "x8 (float64)";
    }

    @Override
    void blockF(int mc, int nc, int kc, float[] ap, float[] bp, float[] c, int cOff, int ldc, boolean accumulate,
                float[] tile) {
        int mr = mrF;
        for (int j = 0; j < nc; j += 16) {
            int cols = Math.min(16, nc - j);
            int bo = j * kc;
            for (int i = 0; i < mc; i += mr) {
                int rows = Math.min(mr, mc - i);
                int ao = i * kc;
                int co = cOff + i * ldc + j;
                if (rows == mr && cols == 16) {
                    microF(kc, ap, ao, bp, bo, c, co, ldc, accumulate);
                } else {
                    loadTile(c, co, ldc, rows, cols, tile, 16, accumulate);
                    microF(kc, ap, ao, bp, bo, tile, 0, 16, true);
                    storeTile(tile, 16, c, co, ldc, rows, cols);
                }
            }
        }
    }

    private void microF(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean acc) {
        if (mrF == 6) {
            microF6(kc, ap, ao, bp, bo, c, co, ldc, acc);
        } else {
            microF4(kc, ap, ao, bp, bo, c, co, ldc, acc);
        }
    }

    @Override
    void blockD(int mc, int nc, int kc, double[] ap, double[] bp, double[] c, int cOff, int ldc, boolean accumulate,
                double[] tile) {
        int mr = mrD;
        for (int j = 0; j < nc; j += 8) {
            int cols = Math.min(8, nc - j);
            int bo = j * kc;
            for (int i = 0; i < mc; i += mr) {
                int rows = Math.min(mr, mc - i);
                int ao = i * kc;
                int co = cOff + i * ldc + j;
                if (rows == mr && cols == 8) {
                    microD(kc, ap, ao, bp, bo, c, co, ldc, accumulate);
                } else {
                    loadTile(c, co, ldc, rows, cols, tile, 8, accumulate);
                    microD(kc, ap, ao, bp, bo, tile, 0, 8, true);
                    storeTile(tile, 8, c, co, ldc, rows, cols);
                }
            }
        }
    }

    private void microD(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc, boolean acc) {
        if (mrD == 6) {
            microD6(kc, ap, ao, bp, bo, c, co, ldc, acc);
        } else {
            microD4(kc, ap, ao, bp, bo, c, co, ldc, acc);
        }
    }

    private static void microF6(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean acc) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        FloatVector c40;
        FloatVector c41;
        FloatVector c50;
        FloatVector c51;
        if (acc) {
            c00 = FloatVector.fromArray(SF, c, co + 0 * ldc + 0);
            c01 = FloatVector.fromArray(SF, c, co + 0 * ldc + 8);
            c10 = FloatVector.fromArray(SF, c, co + 1 * ldc + 0);
            c11 = FloatVector.fromArray(SF, c, co + 1 * ldc + 8);
            c20 = FloatVector.fromArray(SF, c, co + 2 * ldc + 0);
            c21 = FloatVector.fromArray(SF, c, co + 2 * ldc + 8);
            c30 = FloatVector.fromArray(SF, c, co + 3 * ldc + 0);
            c31 = FloatVector.fromArray(SF, c, co + 3 * ldc + 8);
            c40 = FloatVector.fromArray(SF, c, co + 4 * ldc + 0);
            c41 = FloatVector.fromArray(SF, c, co + 4 * ldc + 8);
            c50 = FloatVector.fromArray(SF, c, co + 5 * ldc + 0);
            c51 = FloatVector.fromArray(SF, c, co + 5 * ldc + 8);
        } else {
            c00 = FloatVector.zero(SF);
            c01 = FloatVector.zero(SF);
            c10 = FloatVector.zero(SF);
            c11 = FloatVector.zero(SF);
            c20 = FloatVector.zero(SF);
            c21 = FloatVector.zero(SF);
            c30 = FloatVector.zero(SF);
            c31 = FloatVector.zero(SF);
            c40 = FloatVector.zero(SF);
            c41 = FloatVector.zero(SF);
            c50 = FloatVector.zero(SF);
            c51 = FloatVector.zero(SF);
        }
        for (int p = 0, ai = ao, bi = bo; p < kc; p++, ai += 6, bi += 16) {
            FloatVector b0 = FloatVector.fromArray(SF, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SF, bp, bi + 8);
            FloatVector a0 = FloatVector.broadcast(SF, ap[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SF, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SF, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SF, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(SF, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(SF, ap[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        c00.intoArray(c, co + 0 * ldc + 0);
        c01.intoArray(c, co + 0 * ldc + 8);
        c10.intoArray(c, co + 1 * ldc + 0);
        c11.intoArray(c, co + 1 * ldc + 8);
        c20.intoArray(c, co + 2 * ldc + 0);
        c21.intoArray(c, co + 2 * ldc + 8);
        c30.intoArray(c, co + 3 * ldc + 0);
        c31.intoArray(c, co + 3 * ldc + 8);
        c40.intoArray(c, co + 4 * ldc + 0);
        c41.intoArray(c, co + 4 * ldc + 8);
        c50.intoArray(c, co + 5 * ldc + 0);
        c51.intoArray(c, co + 5 * ldc + 8);
    }

    private static void microF4(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, boolean acc) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        if (acc) {
            c00 = FloatVector.fromArray(SF, c, co + 0 * ldc + 0);
            c01 = FloatVector.fromArray(SF, c, co + 0 * ldc + 8);
            c10 = FloatVector.fromArray(SF, c, co + 1 * ldc + 0);
            c11 = FloatVector.fromArray(SF, c, co + 1 * ldc + 8);
            c20 = FloatVector.fromArray(SF, c, co + 2 * ldc + 0);
            c21 = FloatVector.fromArray(SF, c, co + 2 * ldc + 8);
            c30 = FloatVector.fromArray(SF, c, co + 3 * ldc + 0);
            c31 = FloatVector.fromArray(SF, c, co + 3 * ldc + 8);
        } else {
            c00 = FloatVector.zero(SF);
            c01 = FloatVector.zero(SF);
            c10 = FloatVector.zero(SF);
            c11 = FloatVector.zero(SF);
            c20 = FloatVector.zero(SF);
            c21 = FloatVector.zero(SF);
            c30 = FloatVector.zero(SF);
            c31 = FloatVector.zero(SF);
        }
        for (int p = 0, ai = ao, bi = bo; p < kc; p++, ai += 4, bi += 16) {
            FloatVector b0 = FloatVector.fromArray(SF, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SF, bp, bi + 8);
            FloatVector a0 = FloatVector.broadcast(SF, ap[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(SF, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(SF, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(SF, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, co + 0 * ldc + 0);
        c01.intoArray(c, co + 0 * ldc + 8);
        c10.intoArray(c, co + 1 * ldc + 0);
        c11.intoArray(c, co + 1 * ldc + 8);
        c20.intoArray(c, co + 2 * ldc + 0);
        c21.intoArray(c, co + 2 * ldc + 8);
        c30.intoArray(c, co + 3 * ldc + 0);
        c31.intoArray(c, co + 3 * ldc + 8);
    }

    private static void microD6(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc, boolean acc) {
        DoubleVector c00;
        DoubleVector c01;
        DoubleVector c10;
        DoubleVector c11;
        DoubleVector c20;
        DoubleVector c21;
        DoubleVector c30;
        DoubleVector c31;
        DoubleVector c40;
        DoubleVector c41;
        DoubleVector c50;
        DoubleVector c51;
        if (acc) {
            c00 = DoubleVector.fromArray(SD, c, co + 0 * ldc + 0);
            c01 = DoubleVector.fromArray(SD, c, co + 0 * ldc + 4);
            c10 = DoubleVector.fromArray(SD, c, co + 1 * ldc + 0);
            c11 = DoubleVector.fromArray(SD, c, co + 1 * ldc + 4);
            c20 = DoubleVector.fromArray(SD, c, co + 2 * ldc + 0);
            c21 = DoubleVector.fromArray(SD, c, co + 2 * ldc + 4);
            c30 = DoubleVector.fromArray(SD, c, co + 3 * ldc + 0);
            c31 = DoubleVector.fromArray(SD, c, co + 3 * ldc + 4);
            c40 = DoubleVector.fromArray(SD, c, co + 4 * ldc + 0);
            c41 = DoubleVector.fromArray(SD, c, co + 4 * ldc + 4);
            c50 = DoubleVector.fromArray(SD, c, co + 5 * ldc + 0);
            c51 = DoubleVector.fromArray(SD, c, co + 5 * ldc + 4);
        } else {
            c00 = DoubleVector.zero(SD);
            c01 = DoubleVector.zero(SD);
            c10 = DoubleVector.zero(SD);
            c11 = DoubleVector.zero(SD);
            c20 = DoubleVector.zero(SD);
            c21 = DoubleVector.zero(SD);
            c30 = DoubleVector.zero(SD);
            c31 = DoubleVector.zero(SD);
            c40 = DoubleVector.zero(SD);
            c41 = DoubleVector.zero(SD);
            c50 = DoubleVector.zero(SD);
            c51 = DoubleVector.zero(SD);
        }
        for (int p = 0, ai = ao, bi = bo; p < kc; p++, ai += 6, bi += 8) {
            DoubleVector b0 = DoubleVector.fromArray(SD, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(SD, bp, bi + 4);
            DoubleVector a0 = DoubleVector.broadcast(SD, ap[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SD, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SD, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SD, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(SD, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(SD, ap[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        c00.intoArray(c, co + 0 * ldc + 0);
        c01.intoArray(c, co + 0 * ldc + 4);
        c10.intoArray(c, co + 1 * ldc + 0);
        c11.intoArray(c, co + 1 * ldc + 4);
        c20.intoArray(c, co + 2 * ldc + 0);
        c21.intoArray(c, co + 2 * ldc + 4);
        c30.intoArray(c, co + 3 * ldc + 0);
        c31.intoArray(c, co + 3 * ldc + 4);
        c40.intoArray(c, co + 4 * ldc + 0);
        c41.intoArray(c, co + 4 * ldc + 4);
        c50.intoArray(c, co + 5 * ldc + 0);
        c51.intoArray(c, co + 5 * ldc + 4);
    }

    private static void microD4(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int ldc, boolean acc) {
        DoubleVector c00;
        DoubleVector c01;
        DoubleVector c10;
        DoubleVector c11;
        DoubleVector c20;
        DoubleVector c21;
        DoubleVector c30;
        DoubleVector c31;
        if (acc) {
            c00 = DoubleVector.fromArray(SD, c, co + 0 * ldc + 0);
            c01 = DoubleVector.fromArray(SD, c, co + 0 * ldc + 4);
            c10 = DoubleVector.fromArray(SD, c, co + 1 * ldc + 0);
            c11 = DoubleVector.fromArray(SD, c, co + 1 * ldc + 4);
            c20 = DoubleVector.fromArray(SD, c, co + 2 * ldc + 0);
            c21 = DoubleVector.fromArray(SD, c, co + 2 * ldc + 4);
            c30 = DoubleVector.fromArray(SD, c, co + 3 * ldc + 0);
            c31 = DoubleVector.fromArray(SD, c, co + 3 * ldc + 4);
        } else {
            c00 = DoubleVector.zero(SD);
            c01 = DoubleVector.zero(SD);
            c10 = DoubleVector.zero(SD);
            c11 = DoubleVector.zero(SD);
            c20 = DoubleVector.zero(SD);
            c21 = DoubleVector.zero(SD);
            c30 = DoubleVector.zero(SD);
            c31 = DoubleVector.zero(SD);
        }
        for (int p = 0, ai = ao, bi = bo; p < kc; p++, ai += 4, bi += 8) {
            DoubleVector b0 = DoubleVector.fromArray(SD, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(SD, bp, bi + 4);
            DoubleVector a0 = DoubleVector.broadcast(SD, ap[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(SD, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(SD, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(SD, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, co + 0 * ldc + 0);
        c01.intoArray(c, co + 0 * ldc + 4);
        c10.intoArray(c, co + 1 * ldc + 0);
        c11.intoArray(c, co + 1 * ldc + 4);
        c20.intoArray(c, co + 2 * ldc + 0);
        c21.intoArray(c, co + 2 * ldc + 4);
        c30.intoArray(c, co + 3 * ldc + 0);
        c31.intoArray(c, co + 3 * ldc + 4);
    }
}
