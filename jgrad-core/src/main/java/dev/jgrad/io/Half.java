package dev.jgrad.io;

/**
 * IEEE 754 half precision (binary16), as stored by safetensors F16 and NumPy float16 files.
 * <pre>{@code
 * float f = Half.toFloat(0x3c00); // 1.0f
 * }</pre>
 */
public final class Half {
    private Half() {
    }

    /** The float value of half-precision {@code bits} (the low 16 bits): exact, NaN and infinities kept. */
    public static float toFloat(int bits) {
        int sign = (bits >>> 15) & 1;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        float v;
        if (exp == 0) {
            v = mant * 0x1p-24f;
        } else if (exp == 31) {
            v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
        } else {
            v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
        }
        return sign == 1 ? -v : v;
    }
}
