package dev.jgrad.kernel;

/**
 * What a matrix product does to each finished block of C while the block is still in cache
 * ({@link Gemm} calls it once per block, after the block's last step of k): one of
 * <ul>
 *   <li>{@code c = act(c + bias[j])}, act ReLU, sigmoid or none: addmm's bias ("c added last", in
 *       the result's precision) and the activation that follows a linear layer;</li>
 *   <li>{@code c = mask[i, j] <= 0 ? +0 : c}: ReLU's backward (threshold_backward: NaN in the mask
 *       keeps c) applied to the product that computes the gradient of a ReLU's output.</li>
 * </ul>
 * Each element gets exactly the operations, in the same precision and order, of the separate
 * kernels it replaces ({@link Kernels#mm}'s bias, {@link Kernels#unary}, {@link Kernels#reluBackward}),
 * so the fused product has their bits. Row i and column j are C's (C at {@code cOff + i·ldc + j}).
 */
final class Epilogue {
    private final UnaryOp act;
    private final float[] biasF;
    private final double[] biasD;
    private final int biasOff;
    private final int biasStride;
    private final float[] maskF;
    private final double[] maskD;
    private final int maskOff;
    private final int maskLd;

    private Epilogue(UnaryOp act, float[] biasF, double[] biasD, int biasOff, int biasStride, float[] maskF,
                     double[] maskD, int maskOff, int maskLd) {
        if (act != null && act != UnaryOp.RELU && act != UnaryOp.SIGMOID) {
            throw new IllegalArgumentException("epilogue activation: " + act);
        }
        this.act = act;
        this.biasF = biasF;
        this.biasD = biasD;
        this.biasOff = biasOff;
        this.biasStride = biasStride;
        this.maskF = maskF;
        this.maskD = maskD;
        this.maskOff = maskOff;
        this.maskLd = maskLd;
    }

    /** {@code c = act(c + bias[biasOff + j·biasStride])}; bias may be null (then {@code act(c)}), act null (none). */
    static Epilogue biasActivation(float[] bias, int biasOff, int biasStride, UnaryOp act) {
        return new Epilogue(act, bias, null, biasOff, biasStride, null, null, 0, 0);
    }

    /** The float64 twin of {@link #biasActivation(float[], int, int, UnaryOp)}. */
    static Epilogue biasActivation(double[] bias, int biasOff, int biasStride, UnaryOp act) {
        return new Epilogue(act, null, bias, biasOff, biasStride, null, null, 0, 0);
    }

    /** {@code c = mask[maskOff + i·maskLd + j] <= 0 ? +0 : c}. */
    static Epilogue reluMask(float[] mask, int maskOff, int maskLd) {
        return new Epilogue(null, null, null, 0, 0, mask, null, maskOff, maskLd);
    }

    /** The float64 twin of {@link #reluMask(float[], int, int)}. */
    static Epilogue reluMask(double[] mask, int maskOff, int maskLd) {
        return new Epilogue(null, null, null, 0, 0, null, mask, maskOff, maskLd);
    }

    /**
     * Applies to rows [i0, i1) and columns [j0, j1) of a float32 C: the mask and a contiguous bias
     * with ReLU through {@link OptimKernels} (the Vector API, as the kernels they replace).
     */
    void applyF(float[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        OptimKernels k = OptimKernels.get();
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            if (maskF != null) {
                k.reluMask(j1 - j0, c, row + j0, maskF, maskOff + i * maskLd + j0);
                continue;
            }
            if (biasF != null && biasStride == 1 && act == UnaryOp.RELU) {
                k.biasRelu(j1 - j0, c, row + j0, biasF, biasOff + j0);
                continue;
            }
            if (biasF != null) {
                for (int j = j0; j < j1; j++) {
                    c[row + j] += biasF[biasOff + j * biasStride];
                }
            }
            if (act == UnaryOp.RELU) {
                for (int j = j0; j < j1; j++) {
                    c[row + j] = Math.max(c[row + j], 0f); // as OptimKernels.relu: NaN stays, −0 becomes +0
                }
            } else if (act == UnaryOp.SIGMOID) {
                for (int j = j0; j < j1; j++) {
                    c[row + j] = UnaryOp.SIGMOID.apply(c[row + j]);
                }
            }
        }
    }

    /** Applies to rows [i0, i1) and columns [j0, j1) of a float64 C. */
    void applyD(double[] c, int cOff, int ldc, int i0, int i1, int j0, int j1) {
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * ldc;
            if (maskD != null) {
                int mrow = maskOff + i * maskLd;
                for (int j = j0; j < j1; j++) {
                    c[row + j] = maskD[mrow + j] <= 0.0 ? 0.0 : c[row + j];
                }
                continue;
            }
            if (biasD != null) {
                for (int j = j0; j < j1; j++) {
                    c[row + j] += biasD[biasOff + j * biasStride];
                }
            }
            if (act == UnaryOp.RELU) {
                for (int j = j0; j < j1; j++) {
                    c[row + j] = Math.max(c[row + j], 0.0);
                }
            } else if (act == UnaryOp.SIGMOID) {
                for (int j = j0; j < j1; j++) {
                    c[row + j] = UnaryOp.SIGMOID.apply(c[row + j]);
                }
            }
        }
    }
}
