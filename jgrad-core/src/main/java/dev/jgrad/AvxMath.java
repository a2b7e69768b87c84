package dev.jgrad;

/**
 * The float {@code log} and {@code sincos} polynomials that PyTorch's AVX2 CPU kernels use for
 * normal sampling ({@code log256_ps} and {@code sincos256_ps} of {@code avx_mathfun.h}, after
 * Julien Pommier's sse_mathfun and the Cephes library), one lane at a time. Every operation is
 * the float operation of the vector instruction; where GCC fuses a vector multiply and add into
 * an FMA instruction (in polynomial evaluation and the range reduction), {@link Math#fma} is used
 * at the same places, so the results equal PyTorch's bit for bit.
 *
 * <p>Valid for the arguments sampling uses: {@link #log} for x in (0, 1], {@link #sincos} for
 * x in [0, 8192).
 */
final class AvxMath {
    private AvxMath() {
    }

    private static final float SQRTHF = 0.707106781186547524f;
    private static final float LOG_P0 = 7.0376836292E-2f;
    private static final float LOG_P1 = -1.1514610310E-1f;
    private static final float LOG_P2 = 1.1676998740E-1f;
    private static final float LOG_P3 = -1.2420140846E-1f;
    private static final float LOG_P4 = 1.4249322787E-1f;
    private static final float LOG_P5 = -1.6668057665E-1f;
    private static final float LOG_P6 = 2.0000714765E-1f;
    private static final float LOG_P7 = -2.4999993993E-1f;
    private static final float LOG_P8 = 3.3333331174E-1f;
    private static final float LOG_Q1 = -2.12194440e-4f;
    private static final float LOG_Q2 = 0.693359375f;

    /** log256_ps for one lane (x &gt; 0). */
    static float log(float x) {
        x = Math.max(x, Float.MIN_NORMAL);
        int bits = Float.floatToRawIntBits(x);
        int exponent = (bits >>> 23) - 0x7f;
        // keep the mantissa, with the exponent of 0.5: x in [0.5, 1)
        x = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
        float e = (float) exponent;
        e = e + 1f;
        boolean below = x < SQRTHF;
        float tmp = below ? x : 0f;
        x = x - 1f;
        e = e - (below ? 1f : 0f);
        x = x + tmp;
        float z = x * x;
        float y = Math.fma(LOG_P0, x, LOG_P1);
        y = Math.fma(y, x, LOG_P2);
        y = Math.fma(y, x, LOG_P3);
        y = Math.fma(y, x, LOG_P4);
        y = Math.fma(y, x, LOG_P5);
        y = Math.fma(y, x, LOG_P6);
        y = Math.fma(y, x, LOG_P7);
        y = Math.fma(y, x, LOG_P8);
        y = y * x;
        y = Math.fma(y, z, e * LOG_Q1);
        y = Math.fma(-z, 0.5f, y);
        x = x + y;
        return Math.fma(e, LOG_Q2, x);
    }

    private static final float MINUS_DP1 = -0.78515625f;
    private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
    private static final float MINUS_DP3 = -3.77489497744594108e-8f;
    private static final float SIN_P0 = -1.9515295891E-4f;
    private static final float SIN_P1 = 8.3321608736E-3f;
    private static final float SIN_P2 = -1.6666654611E-1f;
    private static final float COS_P0 = 2.443315711809948E-005f;
    private static final float COS_P1 = -1.388731625493765E-003f;
    private static final float COS_P2 = 4.166664568298827E-002f;
    private static final float FOUR_OVER_PI = 1.27323954473516f;

    /** sincos256_ps for one lane: writes sin(x) to {@code out[i]} and cos(x) to {@code out[i + 1]}. */
    static void sincos(float x, float[] out, int i) {
        int signSin = Float.floatToRawIntBits(x) & 0x80000000;
        x = Math.abs(x);
        // octant j, rounded up to even
        int j = (int) (x * FOUR_OVER_PI);
        j = (j + 1) & ~1;
        float y = (float) j;
        int swapSignSin = (j & 4) << 29;
        boolean sinPoly = (j & 2) == 0;
        x = Math.fma(y, MINUS_DP1, x);
        x = Math.fma(y, MINUS_DP2, x);
        x = Math.fma(y, MINUS_DP3, x);
        int signCos = (~(j - 2) & 4) << 29;
        signSin ^= swapSignSin;

        float z = x * x;
        float c = Math.fma(COS_P0, z, COS_P1);
        c = Math.fma(c, z, COS_P2);
        c = c * z;
        c = Math.fma(c, z, -(z * 0.5f));
        c = c + 1f;

        float s = Math.fma(SIN_P0, z, SIN_P1);
        s = Math.fma(s, z, SIN_P2);
        s = s * z;
        s = Math.fma(s, x, x);

        // each output takes one polynomial; the other contributes +0 as in the vector code
        float sinFromS = sinPoly ? s : 0f;
        float sinFromC = sinPoly ? 0f : c;
        s = s - sinFromS;
        c = c - sinFromC;
        float sin = sinFromC + sinFromS;
        float cos = c + s;
        out[i] = Float.intBitsToFloat(Float.floatToRawIntBits(sin) ^ signSin);
        out[i + 1] = Float.intBitsToFloat(Float.floatToRawIntBits(cos) ^ signCos);
    }
}
