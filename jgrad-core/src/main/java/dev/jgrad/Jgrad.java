package dev.jgrad;

import dev.jgrad.autograd.GradMode;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.ops.Joining;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code torch} namespace: tensor factories, joining ops, the default generator and grad
 * mode. Import statically to write code that reads like PyTorch.
 * <pre>{@code
 * import static dev.jgrad.Jgrad.*;
 * Tensor x = tensor(new double[][] {{1, 2}, {3, 4}});
 * try (var g = noGrad()) { x.mul_(2); }
 * }</pre>
 */
public final class Jgrad {
    private static final Generator DEFAULT = new Generator();

    private Jgrad() {
    }

    // ------------------------------------------------------------------ from Java arrays

    /** A 0-dimensional float32 tensor. */
    public static Tensor tensor(double value) {
        return Tensor.scalar(value, DType.FLOAT32);
    }

    /** A 1-D float32 tensor (Python floats become float32, PyTorch's default dtype). */
    public static Tensor tensor(double[] values) {
        return tensor(values, DType.FLOAT32);
    }

    public static Tensor tensor(double[] values, DType dtype) {
        return Tensor.fromDoubles(values, values.length).to(dtype);
    }

    /** A 2-D float32 tensor from rows of equal length. */
    public static Tensor tensor(double[][] rows) {
        return tensor(rows, DType.FLOAT32);
    }

    public static Tensor tensor(double[][] rows, DType dtype) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("expected sequence of length " + cols + " at dim 1 (got " + rows[i].length + ")");
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return Tensor.fromDoubles(flat, rows.length, cols).to(dtype);
    }

    /** A 3-D float32 tensor. */
    public static Tensor tensor(double[][][] blocks) {
        return tensor(blocks, DType.FLOAT32);
    }

    public static Tensor tensor(double[][][] blocks, DType dtype) {
        int n = blocks.length;
        int r = n == 0 ? 0 : blocks[0].length;
        int c = r == 0 ? 0 : blocks[0][0].length;
        double[] flat = new double[n * r * c];
        for (int i = 0; i < n; i++) {
            if (blocks[i].length != r) {
                throw new IllegalArgumentException("expected sequence of length " + r + " at dim 1 (got " + blocks[i].length + ")");
            }
            for (int j = 0; j < r; j++) {
                if (blocks[i][j].length != c) {
                    throw new IllegalArgumentException("expected sequence of length " + c + " at dim 2 (got " + blocks[i][j].length + ")");
                }
                System.arraycopy(blocks[i][j], 0, flat, (i * r + j) * c, c);
            }
        }
        return Tensor.fromDoubles(flat, n, r, c).to(dtype);
    }

    /** A float32 tensor from float values. */
    public static Tensor tensor(float[] values) {
        return Tensor.fromFloats(values, values.length);
    }

    /** An int64 tensor. */
    public static Tensor tensor(long[] values) {
        return Tensor.fromLongs(values, values.length);
    }

    /** An int64 tensor from ints. */
    public static Tensor tensor(int[] values) {
        return Tensor.fromLongs(Arrays.stream(values).asLongStream().toArray(), values.length);
    }

    /** A bool tensor. */
    public static Tensor tensor(boolean[] values) {
        return Tensor.fromBooleans(values, values.length);
    }

    /** A float32 tensor of the given shape from flat row-major values. */
    public static Tensor tensor(double[] values, int... shape) {
        return Tensor.fromDoubles(values, shape).to(DType.FLOAT32);
    }

    // ------------------------------------------------------------------ filled

    public static Tensor zeros(int... shape) {
        return Tensor.zeros(DType.FLOAT32, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return Tensor.zeros(dtype, shape);
    }

    public static Tensor ones(int... shape) {
        return full(shape, 1.0, DType.FLOAT32);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(shape, 1.0, dtype);
    }

    public static Tensor full(int[] shape, double value) {
        return full(shape, value, DType.FLOAT32);
    }

    public static Tensor full(int[] shape, double value, DType dtype) {
        Tensor t = Tensor.empty(dtype, shape);
        Kernels.fill(t, value);
        return t;
    }

    public static Tensor zerosLike(Tensor t) {
        return Tensor.zeros(t.dtype(), t.shape());
    }

    public static Tensor onesLike(Tensor t) {
        return Tensor.onesLike(t);
    }

    public static Tensor fullLike(Tensor t, double value) {
        return full(t.shape(), value, t.dtype());
    }

    /** 0, 1, ..., end−1 as int64. */
    public static Tensor arange(long end) {
        return arange(0, end);
    }

    /** start, start+1, ..., end−1 as int64. */
    public static Tensor arange(long start, long end) {
        int n = (int) Math.max(0, end - start);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return Tensor.fromLongs(v, n);
    }

    /** start, start+step, ... below end, as float32 (values computed in double). */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0) {
            throw new IllegalArgumentException("step must be nonzero");
        }
        if ((step > 0 && start > end) || (step < 0 && start < end)) {
            throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        }
        int n = (int) Math.ceil((end - start) / step);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return Tensor.fromDoubles(v, n).to(DType.FLOAT32);
    }

    /** {@code steps} evenly spaced float32 values from start to end, computed as PyTorch does (from both ends). */
    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("number of steps must be non-negative");
        }
        float[] v = new float[steps];
        if (steps == 1) {
            v[0] = (float) start;
        } else if (steps > 1) {
            float s = (float) start;
            float e = (float) end;
            float step = (e - s) / (steps - 1);
            int halfway = steps / 2;
            for (int i = 0; i < steps; i++) {
                // PyTorch fuses the multiply-add (AVX2 build): one rounding per element
                v[i] = i < halfway ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - i - 1), e);
            }
        }
        return Tensor.fromFloats(v, steps);
    }

    /** The n × n identity. */
    public static Tensor eye(int n) {
        return eye(n, n);
    }

    /** An n × m matrix with ones on the diagonal. */
    public static Tensor eye(int n, int m) {
        Tensor t = zeros(n, m);
        for (int i = 0; i < Math.min(n, m); i++) {
            t.storage().set(i * m + i, 1.0);
        }
        return t;
    }

    // ------------------------------------------------------------------ random

    /** The generator used when none is given. */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /** Seeds the default generator (torch.manual_seed). */
    public static Generator manualSeed(long seed) {
        return DEFAULT.manualSeed(seed);
    }

    /** Uniform values in [0, 1). */
    public static Tensor rand(int... shape) {
        return rand(DEFAULT, shape);
    }

    public static Tensor rand(Generator g, int... shape) {
        return rand(g, DType.FLOAT32, shape);
    }

    /** Uniform values in [0, 1) of a floating dtype (torch.rand(..., dtype=...)). */
    public static Tensor rand(Generator g, DType dtype, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        g.fillUniform(t, 0, 1);
        return t;
    }

    /** Standard normal values. */
    public static Tensor randn(int... shape) {
        return randn(DEFAULT, shape);
    }

    public static Tensor randn(Generator g, int... shape) {
        return randn(g, DType.FLOAT32, shape);
    }

    /** Standard normal values of a floating dtype (torch.randn(..., dtype=...)). */
    public static Tensor randn(Generator g, DType dtype, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        g.fillNormal(t, 0, 1);
        return t;
    }

    /** Random int64 values in [low, high). */
    public static Tensor randint(long low, long high, int... shape) {
        return randint(DEFAULT, low, high, shape);
    }

    public static Tensor randint(Generator g, long low, long high, int... shape) {
        Tensor t = Tensor.zeros(DType.INT64, shape);
        long[] data = t.storage().longs();
        for (int i = 0; i < data.length; i++) {
            data[i] = g.randomInt(low, high);
        }
        return t;
    }

    /** A random permutation of 0..n−1 (int64) from the default generator. */
    public static Tensor randperm(int n) {
        return randperm(n, DEFAULT);
    }

    /**
     * A random permutation of 0..n−1 (int64): starting from the identity, for i = 0..n−2 swap
     * element i with element i + (32-bit draw mod (n − i)). PyTorch 1.13 uses this for every n.
     */
    public static Tensor randperm(int n, Generator g) {
        if (n < 0) {
            throw new IllegalArgumentException("Trying to create tensor with negative dimension " + n + ": [" + n + "]");
        }
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            int z = (int) (g.random() % (n - i));
            long tmp = p[i];
            p[i] = p[z + i];
            p[z + i] = tmp;
        }
        return Tensor.fromLongs(p, n);
    }

    /** 0/1 values, 1 with the probability given by each element of {@code p} (torch.bernoulli(p)), in p's dtype. */
    public static Tensor bernoulli(Tensor p) {
        return bernoulli(p, DEFAULT);
    }

    public static Tensor bernoulli(Tensor p, Generator g) {
        Tensor t = Tensor.zeros(p.dtype(), p.shape());
        g.fillBernoulli(t, p);
        return t;
    }

    /**
     * The order of sample indices in one epoch of PyTorch 1.13's
     * {@code DataLoader(dataset, shuffle=True)} of {@code n} samples without a generator and with
     * {@code num_workers=0}, drawing from {@code global} (PyTorch's default generator) exactly as
     * that epoch does: creating the iterator draws a base seed ({@link Generator#randomInt64()}),
     * then the RandomSampler draws its seed the same way and permutes with a new generator seeded
     * with it ({@link #randomSamplerPermutation}). {@code global} advances by four 32-bit draws.
     * <pre>{@code
     * Jgrad.manualSeed(0);
     * long[] order = Jgrad.dataLoaderPermutation(Jgrad.defaultGenerator(), 60000).toLongArray();
     * }</pre>
     * Batches are consecutive slices of this order. With {@code persistent_workers=True}, epochs
     * after the first draw no base seed: use {@link #randomSamplerPermutation} for them.
     */
    public static Tensor dataLoaderPermutation(Generator global, int n) {
        global.randomInt64(); // _BaseDataLoaderIter._base_seed
        return randomSamplerPermutation(global, n);
    }

    /**
     * The permutation one pass of {@code RandomSampler(data)} (no generator, no replacement)
     * yields: {@code seed = torch.empty((), dtype=torch.int64).random_()} from {@code global}, then
     * {@code torch.randperm(n, generator=torch.Generator().manual_seed(seed))}.
     */
    public static Tensor randomSamplerPermutation(Generator global, int n) {
        return randperm(n, new Generator(global.randomInt64()));
    }

    // ------------------------------------------------------------------ ops

    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Joining.cat(tensors, dim);
    }

    public static Tensor cat(List<Tensor> tensors) {
        return Joining.cat(tensors, 0);
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Joining.stack(tensors, dim);
    }

    public static Tensor stack(List<Tensor> tensors) {
        return Joining.stack(tensors, 0);
    }

    /** {@code cond ? a : b}, broadcasting. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Tensor.where(cond, a, b);
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        return a.matmul(b);
    }

    /** beta · c + alpha · (a @ b). */
    public static Tensor addmm(Tensor c, Tensor a, Tensor b, double beta, double alpha) {
        return dev.jgrad.ops.LinearAlgebra.addmm(c, a, b, beta, alpha);
    }

    public static Tensor addmm(Tensor c, Tensor a, Tensor b) {
        return addmm(c, a, b, 1, 1);
    }

    public static Tensor maximum(Tensor a, Tensor b) {
        return a.maximum(b);
    }

    public static Tensor minimum(Tensor a, Tensor b) {
        return a.minimum(b);
    }

    // ------------------------------------------------------------------ grad mode

    /** A scope without graph recording: {@code try (var g = noGrad()) { ... }}. */
    public static GradMode.Scope noGrad() {
        return GradMode.noGrad();
    }

    /** A scope with graph recording, even inside a no-grad scope. */
    public static GradMode.Scope enableGrad() {
        return GradMode.enableGrad();
    }

    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    // ------------------------------------------------------------------ threads

    /**
     * Sets the number of threads the kernels use (as torch.set_num_threads); the default is the
     * number of available processors. Results do not depend on it: every kernel splits its output
     * by a fixed rule and computes each element with the same arithmetic on any thread, so
     * training gives bit-identical weights with 1 or N threads, run after run.
     */
    public static void setNumThreads(int n) {
        dev.jgrad.kernel.Parallel.setNumThreads(n);
    }

    /** The number of threads the kernels use (as torch.get_num_threads). */
    public static int getNumThreads() {
        return dev.jgrad.kernel.Parallel.numThreads();
    }
}
