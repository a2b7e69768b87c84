package dev.jgrad;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's number formatting, exactly: {@code repr(float)} (shortest round-trip digits) and the
 * format specs {@code .Nf} and {@code .Ne} (correctly rounded, ties to even on the exact binary
 * value). Java's own {@code String.format} rounds differently in some cases.
 * <pre>{@code
 * PyFormat.repr(0.1f)       // "0.10000000149011612"
 * PyFormat.fixed(2.5, 0)    // "2"
 * }</pre>
 */
public final class PyFormat {
    private PyFormat() {
    }

    /** Python's {@code repr(x)} for a double. */
    public static String repr(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return (1 / x < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal shortest = null;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == x) {
                shortest = candidate;
                break;
            }
        }
        BigDecimal d = shortest.stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1; // decimal exponent of the leading digit
        String digits = d.unscaledValue().abs().toString();
        String sign = x < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + pad2(Math.abs(exponent));
        }
        String plain = d.abs().toPlainString();
        if (!plain.contains(".")) {
            plain = plain + ".0";
        }
        return sign + plain;
    }

    /** Python's {@code format(x, '.{precision}f')}. */
    public static String fixed(double x, int precision) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(x).setScale(precision, RoundingMode.HALF_EVEN).abs().toPlainString();
        boolean negative = x < 0 || (x == 0 && 1 / x < 0);
        return negative ? "-" + s : s;
    }

    /** Python's {@code format(x, '.{precision}e')}. */
    public static String scientific(double x, int precision) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        boolean negative = x < 0 || (x == 0 && 1 / x < 0);
        String sign = negative ? "-" : "";
        if (x == 0) {
            return sign + fixed(0.0, precision) + "e+00";
        }
        BigDecimal r = new BigDecimal(Math.abs(x)).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        int exponent = r.precision() - r.scale() - 1;
        String digits = r.unscaledValue().toString();
        while (digits.length() < precision + 1) {
            digits = digits + "0";
        }
        digits = digits.substring(0, precision + 1);
        String mantissa = precision == 0 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + pad2(Math.abs(exponent));
    }

    private static String pad2(int e) {
        return e < 10 ? "0" + e : Integer.toString(e);
    }
}
