package dev.jgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SubnormalSafe} against the plain conversions it replaces, bit for bit. */
class SubnormalSafeTest {
    @Test
    void widenIsTheExactValueOfEveryKindOfFloat() {
        Random r = new Random(31);
        for (int k = 0; k < 200_000; k++) {
            int bits = k < 100_000 ? r.nextInt() : r.nextInt() & 0x807fffff; // half of them subnormal or zero
            float f = Float.intBitsToFloat(bits);
            assertThat(Double.doubleToRawLongBits(SubnormalSafe.widen(f)))
                    .as("bits %08x", bits).isEqualTo(Double.doubleToRawLongBits((double) f));
        }
    }

    @Test
    void roundIsTheCastIncludingTiesAndTheEdgeOfTheNormalRange() {
        Random r = new Random(32);
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            0x1p-126, -0x1p-126, Math.nextDown(0x1p-126), 0x1p-149, 0x1p-150, Math.nextUp(0x1p-150), 0x1.8p-149,
            0x1.8p-148, 0x2.8p-149, (0x1p23 - 0.5) * 0x1p-149, -(0x1p23 - 0.5) * 0x1p-149, Double.MIN_VALUE, 1e-300};
        for (double d : special) {
            assertRounds(d);
        }
        for (int k = 0; k < 200_000; k++) {
            double d = switch (k % 4) {
                case 0 -> Double.longBitsToDouble(r.nextLong()); // anything, mostly far from float range
                case 1 -> r.nextGaussian() * Math.scalb(1.0, -126 - r.nextInt(30)); // around and in the subnormal range
                case 2 -> (r.nextInt(1 << 23) + 0.5) * 0x1p-149 * (r.nextBoolean() ? 1 : -1); // exact ties
                default -> r.nextGaussian() * Math.scalb(1.0, r.nextInt(60) - 30);
            };
            assertRounds(d);
        }
    }

    private static void assertRounds(double d) {
        assertThat(Float.floatToRawIntBits(SubnormalSafe.round(d))).as("%a", d).isEqualTo(Float.floatToRawIntBits((float) d));
    }
}
