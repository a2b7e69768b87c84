package dev.jgrad.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * Tensor comparisons as {@code torch.testing.assert_close}: same shape and dtype, and
 * |actual − expected| ≤ atol + rtol · |expected| element-wise, NaN equal to NaN.
 */
public final class TensorAssert {
    private TensorAssert() {
    }

    /** Defaults: float32 rtol 1e-6, atol 1e-6; float64 rtol 1e-12, atol 1e-12. */
    public static void assertClose(Tensor actual, Tensor expected, String what) {
        boolean f64 = expected.dtype() == DType.FLOAT64;
        assertClose(actual, expected, f64 ? 1e-12 : 1e-6, f64 ? 1e-12 : 1e-6, what);
    }

    public static void assertClose(Tensor actual, Tensor expected, double rtol, double atol, String what) {
        assertThat(actual).as(what + ": tensor").isNotNull();
        assertThat(actual.shape()).as(what + ": shape").isEqualTo(expected.shape());
        assertThat(actual.dtype()).as(what + ": dtype").isEqualTo(expected.dtype());
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : a[i] == e[i] || Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) {
                throw new AssertionError(what + ": element " + i + " (of shape " + Arrays.toString(expected.shape())
                        + ") is " + a[i] + ", expected " + e[i] + " (diff " + Math.abs(a[i] - e[i]) + ", rtol " + rtol
                        + ", atol " + atol + ")\nactual:   " + Arrays.toString(a) + "\nexpected: " + Arrays.toString(e));
            }
        }
    }
}
