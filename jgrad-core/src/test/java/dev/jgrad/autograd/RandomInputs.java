package dev.jgrad.autograd;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.kernel.Kernels;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random inputs for gradient checks: small shapes (0-d included), broadcasting partners,
 * float64 leaves with random memory layouts (contiguous, permuted, narrowed, strided), and value
 * domains that stay away from the points where an op is not differentiable.
 */
final class RandomInputs {
    /** Number of seeds each {@link Seeds} test runs with. */
    static final int SEEDS = 4;

    /** A parameterized test run once per seed 0 .. SEEDS-1; the seed is in the test name. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("dev.jgrad.autograd.RandomInputs#seeds")
    @interface Seeds {
    }

    static LongStream seeds() {
        return LongStream.range(0, SEEDS);
    }

    /** Where values are drawn from. */
    enum Domain {
        /** uniform in [-2, 2]. */
        ANY,
        /** uniform in [0.2, 2]. */
        POSITIVE,
        /** ±[0.3, 2], random sign: denominators. */
        AWAY_FROM_ZERO,
        /** uniform in [-0.5, 2]: log1p's domain. */
        ABOVE_MINUS_ONE,
        /** k/10 + 0.05 ± 0.02 in [-2, 2]: at least 0.03 from every multiple of 0.1 (kinks of abs, relu, clamp at 0.1 k). */
        OFF_TENTHS,
        /** multiples of 0.1 in [-2, 2]: at least 0.03 from every OFF_TENTHS value (no ties in max/min). */
        TENTHS
    }

    final Random random;
    final long seed;

    RandomInputs(long seed) {
        this.seed = seed;
        this.random = new Random(0x9E3779B97F4A7C15L ^ seed);
    }

    int nextInt(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    boolean coin() {
        return random.nextBoolean();
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    double value(Domain d) {
        switch (d) {
            case POSITIVE: return uniform(0.2, 2);
            case AWAY_FROM_ZERO: return (coin() ? 1 : -1) * uniform(0.3, 2);
            case ABOVE_MINUS_ONE: return uniform(-0.5, 2);
            case OFF_TENTHS: return nextInt(-20, 19) * 0.1 + 0.05 + uniform(-0.02, 0.02);
            case TENTHS: return nextInt(-20, 20) * 0.1;
            default: return uniform(-2, 2);
        }
    }

    /** A shape of minDims..maxDims dimensions, each of size 1..maxSize. */
    int[] shape(int minDims, int maxDims, int maxSize) {
        int[] s = new int[nextInt(minDims, maxDims)];
        for (int d = 0; d < s.length; d++) {
            s[d] = nextInt(1, maxSize);
        }
        return s;
    }

    /** Two shapes that broadcast together: size-1 dims in either and fewer leading dims in one. */
    int[][] broadcastPair(int maxDims, int maxSize) {
        int[] full = shape(1, maxDims, maxSize);
        int[] a = full.clone();
        int[] b = full.clone();
        for (int d = 0; d < full.length; d++) {
            if (random.nextInt(4) == 0) {
                a[d] = 1;
            } else if (random.nextInt(4) == 0) {
                b[d] = 1;
            }
        }
        int drop = nextInt(0, full.length);
        if (coin()) {
            a = Arrays.copyOfRange(a, drop, a.length);
        } else {
            b = Arrays.copyOfRange(b, drop, b.length);
        }
        return new int[][] {a, b};
    }

    /** A float64 leaf that requires grad, values from {@code d}, in a random memory layout. */
    Tensor leaf(int[] shape, Domain d) {
        return leaf(shape, () -> value(d));
    }

    Tensor leaf(int[] shape, DoubleSupplier values) {
        return constant(shape, values).requiresGrad_();
    }

    /** A contiguous float64 leaf that requires grad (for view, which needs compatible strides). */
    Tensor contiguousLeaf(int[] shape, Domain d) {
        double[] v = new double[dev.jgrad.storage.Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = value(d);
        }
        return Tensor.fromDoubles(v, shape).requiresGrad_();
    }

    /** Like {@link #leaf} without requiring grad. */
    Tensor constant(int[] shape, Domain d) {
        return constant(shape, () -> value(d));
    }

    Tensor constant(int[] shape, DoubleSupplier values) {
        double[] v = new double[dev.jgrad.storage.Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.getAsDouble();
        }
        Tensor dst = layout(shape);
        Kernels.copyInto(dst, Tensor.fromDoubles(v, shape));
        return dst.detach();
    }

    /** Distinct values (spaced 0.1 + jitter apart), shuffled: no ties for max/min/sort-like ops. */
    Tensor distinctLeaf(int[] shape) {
        int n = dev.jgrad.storage.Shapes.numel(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2) * 0.1 + uniform(-0.02, 0.02);
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        int[] k = {0};
        return leaf(shape, () -> v[k[0]++]);
    }

    /** A zero float64 tensor of {@code shape}, contiguous or not (a permuted, narrowed or strided view). */
    Tensor layout(int[] shape) {
        int n = shape.length;
        switch (n == 0 ? 0 : random.nextInt(4)) {
            case 1: {
                if (n < 2) {
                    break;
                }
                int[] perm = permutation(n);
                int[] physical = new int[n];
                int[] inverse = new int[n];
                for (int i = 0; i < n; i++) {
                    physical[i] = shape[perm[i]];
                    inverse[perm[i]] = i;
                }
                return Tensor.zeros(DType.FLOAT64, physical).permute(inverse);
            }
            case 2: {
                int d = random.nextInt(n);
                int[] bigger = shape.clone();
                int pad = nextInt(1, 2);
                bigger[d] += pad;
                return Tensor.zeros(DType.FLOAT64, bigger).narrow(d, nextInt(0, pad), shape[d]);
            }
            case 3: {
                int[] bigger = Arrays.copyOf(shape, n + 1);
                bigger[n] = 2;
                return Tensor.zeros(DType.FLOAT64, bigger).select(n, nextInt(0, 1));
            }
            default:
                break;
        }
        return Tensor.zeros(DType.FLOAT64, shape);
    }

    int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A non-empty random subset of 0..n-1 as dims, each possibly written negative. */
    int[] dims(int n) {
        int[] out = new int[n];
        int k = 0;
        for (int d = 0; d < n; d++) {
            if (coin()) {
                out[k++] = coin() ? d : d - n;
            }
        }
        if (k == 0) {
            out[k++] = random.nextInt(n);
        }
        return Arrays.copyOf(out, k);
    }

    /** One dim of an n-dimensional tensor, possibly negative. */
    int dim(int n) {
        int d = random.nextInt(n);
        return coin() ? d : d - n;
    }

    /** int64 values in [0, bound), repeats allowed. */
    Tensor index(int[] shape, int bound) {
        long[] v = new long[dev.jgrad.storage.Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextInt(bound);
        }
        return Tensor.fromLongs(v, shape);
    }

    Tensor mask(int[] shape) {
        boolean[] v = new boolean[dev.jgrad.storage.Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = coin();
        }
        return Tensor.fromBooleans(v, shape);
    }
}
