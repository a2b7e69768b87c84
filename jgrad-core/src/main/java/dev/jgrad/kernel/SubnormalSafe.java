package dev.jgrad.kernel;

/**
 * Float32 arithmetic carried out in float64 and rounded back with integer operations, so no float
 * instruction ever reads or writes a subnormal. On x86 each such instruction costs a microcode assist
 * (about a hundred cycles); Adam meets them on every element whose gradient stays zero (a dead ReLU
 * unit, a converged network), where m and v decay into the subnormal range and stay there.
 *
 * <p>Results are bit-identical to the float operation: a product of two floats is exact in double,
 * and +, −, ×, ÷ and √ rounded first to double and then to float give the correctly rounded float
 * (53 ≥ 2·24 + 2), subnormal results included, which {@link #round} places on their grid with
 * round-half-even.
 */
final class SubnormalSafe {
    private static final int EXPONENT = 0x7f800000;
    private static final int MANTISSA = 0x007fffff;
    private static final double MIN_NORMAL = 0x1p-126;
    private static final double ULP_SUBNORMAL = 0x1p-149;
    private static final double GRID = 0x1p-97;

    private SubnormalSafe() {
    }

    /** The value of f as a double, subnormals decoded from their bits (NaN and infinities as they are). */
    static double widen(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & EXPONENT) != 0) {
            return f;
        }
        double d = (bits & MANTISSA) * ULP_SUBNORMAL;
        return bits < 0 ? -d : d;
    }

    /** d rounded to float (to nearest, ties to even), as {@code (float) d} but without a subnormal instruction. */
    static float round(double d) {
        if (!(Math.abs(d) < MIN_NORMAL)) {
            return (float) d; // normal, infinite or NaN
        }
        // on the subnormal grid: |d| + 2^-97 lies in [2^-97, 2^-96), where a double's ulp is 2^-149, so the
        // addition rounds to the grid (ties to even) and the low mantissa bits hold the multiple of 2^-149,
        // which is the float's bit pattern (2^23 being the smallest normal)
        int bits = (int) Double.doubleToRawLongBits(Math.abs(d) + GRID);
        return Float.intBitsToFloat(Double.doubleToRawLongBits(d) < 0 ? bits | 0x80000000 : bits);
    }

    /** Whether f is +0 or −0, from its bits. */
    static boolean isZero(float f) {
        return (Float.floatToRawIntBits(f) & 0x7fffffff) == 0;
    }

    /** Whether f is a NaN, from its bits. */
    static boolean isNaN(float f) {
        return (Float.floatToRawIntBits(f) & 0x7fffffff) > EXPONENT;
    }

    /** {@code a + zero} where zero is ±0: a unless a is itself a zero, then −0 only if both are −0. */
    static float zeroSum(float a, float zero) {
        int bits = Float.floatToRawIntBits(a);
        return isZero(a) ? Float.intBitsToFloat(bits & Float.floatToRawIntBits(zero)) : a;
    }
}
