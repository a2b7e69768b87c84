package dev.jgrad;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A pseudo-random number generator with PyTorch's CPU engine (mt19937, seeded as PyTorch seeds
 * it) and its sampling transforms. Tensors' random factories and initialisers take one; without
 * it they use {@link Jgrad#defaultGenerator()}.
 * <pre>{@code
 * Generator g = new Generator(42);
 * Tensor x = Jgrad.rand(g, 2, 3);
 * }</pre>
 *
 * <p>The same seed gives the same values as PyTorch 1.13 on an x86-64 CPU with AVX2 and FMA,
 * bit for bit, for {@code rand}, {@code randn}, {@code randint}, {@code randperm},
 * {@code uniform_}, {@code normal_} and {@code bernoulli_}, and the generator advances as
 * PyTorch's does, so draws can be interleaved. How PyTorch samples:
 * <ul>
 * <li>float uniform: 24 random bits of one 32-bit draw · 2⁻²⁴, then fma(x, to − from, from) in
 * float; double uniform: 53 bits of a 64-bit draw (two 32-bit draws, first one high), in double.
 * <li>normal, contiguous tensor of ≥ 16 elements: fill it with uniforms in [0, 1), then turn each
 * block of 16 into normals by Box–Muller (u1 = 1 − d[j], u2 = d[j + 8], j &lt; 8), and when the size
 * is not a multiple of 16, draw 16 new uniforms for the last 16 elements and transform them again.
 * float32 uses the AVX2 float polynomials ({@code AvxMath}), bit for bit; float64 uses double
 * log/sin/cos, where PyTorch calls glibc and jgrad the JDK's {@link StrictMath} (fdlibm): the two
 * differ in the last bit for a few percent of arguments, so float64 normals agree with PyTorch's
 * within a few ulps rather than exactly.
 * <li>normal, fewer than 16 elements or not contiguous: scalar Box–Muller in double, two values
 * per pair of double uniforms; the second is cached in the generator for the next normal draw
 * (also across calls; {@link #manualSeed} clears it). Elements are written in memory order.
 * <li>bernoulli_(p): a double uniform per element, 1 where it is &lt; p.
 * </ul>
 *
 * <p>PyTorch itself differs across machines here, so these are not promised: builds with MKL
 * running on Intel CPUs draw {@code bernoulli_(p)} (and so dropout masks) from an MKL stream
 * seeded by one 32-bit draw instead of the default path above (taken on AMD CPUs or without
 * MKL), so values and the generator's advance differ there; on CPUs without
 * AVX2/FMA PyTorch computes float normals with scalar float formulas and rounds x·(to − from)
 * and the mean/std scaling twice; float64 normals depend on the C library's log/sin/cos (see above). Thread count does not matter: PyTorch's CPU sampling is serial.
 */
public class Generator {
    /** PyTorch's default CPU seed. */
    public static final long DEFAULT_SEED = 67280421310721L;
    /** Size in bytes of {@link #getState()}, as {@code torch.Generator().get_state()}. */
    public static final int STATE_SIZE = 5056;
    /** Size in bytes of the state of PyTorch before 1.5, which {@link #setState} also accepts. */
    public static final int LEGACY_STATE_SIZE = 5048;

    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    /** Draws left before the next twist (PyTorch's {@code left_}). */
    private int left;
    /** Index of the next state word (PyTorch's {@code next_}). */
    private int next;
    private long seed;
    private boolean hasNextDoubleNormal;
    private double nextDoubleNormal;
    /** Kept only so that {@link #getState()}/{@link #setState} round-trip PyTorch's state. */
    private boolean hasNextFloatNormal;
    private float nextFloatNormal;

    public Generator() {
        this(DEFAULT_SEED);
    }

    public Generator(long seed) {
        manualSeed(seed);
    }

    /**
     * Re-seeds: state[0] = seed mod 2³², state[j] = 1812433253 · (state[j−1] ⊕ (state[j−1] ≫ 30)) + j,
     * and forgets the cached normal value. Negative seeds are taken as their two's complement, as
     * PyTorch does.
     */
    public final synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        mt[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            mt[j] = 1812433253 * (mt[j - 1] ^ (mt[j - 1] >>> 30)) + j;
        }
        left = 1;
        next = 0;
        hasNextDoubleNormal = false;
        hasNextFloatNormal = false;
        return this;
    }

    /** The last seed given (as a signed long; PyTorch shows it unsigned). */
    public long initialSeed() {
        return seed;
    }

    /** One tempered 32-bit mt19937 output, as an unsigned value. */
    public synchronized long random() {
        if (--left == 0) {
            twist();
        }
        int y = mt[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** Two draws combined as (first ≪ 32) | second. */
    public synchronized long random64() {
        long hi = random();
        long lo = random();
        return (hi << 32) | lo;
    }

    /**
     * A non-negative int64 as {@code torch.empty((), dtype=torch.int64).random_()}: a 64-bit draw
     * modulo 2⁶³. PyTorch's DataLoader and RandomSampler draw their seeds this way.
     */
    public long randomInt64() {
        return random64() & Long.MAX_VALUE;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int v = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                v ^= 0x9908b0df;
            }
            mt[i] = v;
        }
        left = N;
        next = 0;
    }

    /** A float in [from, to): 24 random bits scaled by 2⁻²⁴, then x·(to − from) + from with one rounding. */
    public float uniformFloat(float from, float to) {
        float x = (random() & 0xFFFFFF) * (1.0f / (1 << 24));
        return Math.fma(x, to - from, from);
    }

    /** A double in [from, to): 53 random bits scaled by 2⁻⁵³, then x·(to − from) + from with one rounding. */
    public double uniformDouble(double from, double to) {
        double x = (random64() & ((1L << 53) - 1)) * (1.0 / (1L << 53));
        return Math.fma(x, to - from, from);
    }

    /**
     * A standard normal double by Box–Muller as PyTorch's scalar path: from two double uniforms
     * u1, u2, returns √(−2 log(1 − u2)) · cos(2π u1) and caches √(−2 log(1 − u2)) · sin(2π u1),
     * which the next call returns instead of drawing.
     */
    public synchronized double normalDouble() {
        if (hasNextDoubleNormal) {
            hasNextDoubleNormal = false;
            return nextDoubleNormal;
        }
        double u1 = uniformDouble(0, 1);
        double u2 = uniformDouble(0, 1);
        double r = Math.sqrt(-2.0 * StrictMath.log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormal = r * StrictMath.sin(theta);
        hasNextDoubleNormal = true;
        return r * StrictMath.cos(theta);
    }

    /** Fills {@code t} (float32 or float64) with uniform values in [from, to), in memory order. */
    public synchronized void fillUniform(Tensor t, double from, double to) {
        requireFloating(t, "check_uniform_bounds");
        boolean f32 = t.dtype() == DType.FLOAT32;
        double max = f32 ? Float.MAX_VALUE : Double.MAX_VALUE;
        if (!(from >= -max && from <= max)) {
            throw new IllegalArgumentException("from is out of bounds for " + (f32 ? "float" : "double"));
        }
        if (!(to >= -max && to <= max)) {
            throw new IllegalArgumentException("to is out of bounds for " + (f32 ? "float" : "double"));
        }
        if (!(from <= to)) {
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from="
                    + cppDouble(from) + " > to=" + cppDouble(to));
        }
        if (!(to - from <= max)) {
            throw new IllegalArgumentException("uniform_ expects to-from <= std::numeric_limits<" + t.dtype().scalarTypeName()
                    + ">::max(), but found to=" + cppDouble(to) + " and from=" + cppDouble(from)
                    + " which result in to-from to exceed the limit");
        }
        int[] off = iterationOffsets(t);
        if (t.dtype() == DType.FLOAT64) {
            double[] d = t.storage().doubles();
            for (int o : off) {
                d[o] = uniformDouble(from, to);
            }
        } else {
            float[] f = t.storage().floats();
            float lo = (float) from;
            float hi = (float) to;
            for (int o : off) {
                f[o] = uniformFloat(lo, hi);
            }
        }
        t.storage().bumpVersion();
    }

    /** Fills {@code t} (float32 or float64) with normal values of the given mean and standard deviation. */
    public synchronized void fillNormal(Tensor t, double mean, double std) {
        requireFloating(t, "normal_kernel_cpu");
        if (!(std >= 0.0)) {
            throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + cppDouble(std));
        }
        int n = t.numel();
        if (n >= 16 && t.isContiguous()) {
            if (t.dtype() == DType.FLOAT32) {
                normalFillFloat(t.storage().floats(), t.storageOffset(), n, (float) mean, (float) std);
            } else {
                normalFillDouble(t.storage().doubles(), t.storageOffset(), n, mean, std);
            }
            t.storage().bumpVersion();
            return;
        }
        int[] off = iterationOffsets(t);
        if (t.dtype() == DType.FLOAT64) {
            double[] d = t.storage().doubles();
            for (int o : off) {
                d[o] = Math.fma(normalDouble(), std, mean);
            }
        } else {
            float[] f = t.storage().floats();
            for (int o : off) {
                f[o] = (float) Math.fma(normalDouble(), std, mean);
            }
        }
        t.storage().bumpVersion();
    }

    /**
     * Fills {@code t} (any dtype) with 1 where a double uniform is below {@code p} and 0 elsewhere,
     * in memory order ({@code bernoulli_(p)} without MKL, see the class comment).
     */
    public synchronized void fillBernoulli(Tensor t, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + cppDouble(p));
        }
        for (int o : iterationOffsets(t)) {
            t.storage().set(o, uniformDouble(0, 1) < p ? 1 : 0);
        }
        t.storage().bumpVersion();
    }

    /**
     * Fills {@code t} with 1 where a uniform is below the matching probability of {@code p}
     * (broadcast to t's shape) and 0 elsewhere, as {@code t.bernoulli_(p)} and
     * {@code torch.bernoulli(p)}: a double uniform per element for float64 probabilities, a float
     * uniform (one 32-bit draw) for float32 ones.
     */
    public synchronized void fillBernoulli(Tensor t, Tensor p) {
        if (!p.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"bernoulli_tensor_cpu_p_\" not implemented for '" + p.dtype().scalarTypeName() + "'");
        }
        Tensor pb = p.detach().expand(t.shape());
        int[] order = iterationOrder(t);
        int[] toff = offsetsInOrder(t.shape(), t.stride(), t.storageOffset(), order);
        int[] poff = offsetsInOrder(pb.shape(), pb.stride(), pb.storageOffset(), order);
        for (int i = 0; i < toff.length; i++) {
            double pv = pb.storage().get(poff[i]);
            if (!(pv >= 0 && pv <= 1)) {
                throw new IllegalArgumentException("Expected p_in >= 0 && p_in <= 1 to be true, but got false.");
            }
            boolean one = p.dtype() == DType.FLOAT64 ? uniformDouble(0, 1) < pv : uniformFloat(0f, 1f) < (float) pv;
            t.storage().set(toff[i], one ? 1 : 0);
        }
        t.storage().bumpVersion();
    }

    /** A random integer in [low, high): a 32-bit draw modulo (high − low), or a 64-bit one when high − low ≥ 2³². */
    public long randomInt(long low, long high) {
        if (low >= high) {
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        }
        long range = high - low; // as an unsigned 64-bit number
        long r = Long.compareUnsigned(range, 1L << 32) >= 0 ? random64() : random();
        return low + Long.remainderUnsigned(r, range);
    }

    // ------------------------------------------------------------------ state

    /**
     * The generator's state in the byte layout of PyTorch 1.13's {@code Generator.get_state()}
     * (CPUGeneratorImplState, little-endian, {@value #STATE_SIZE} bytes): seed, mt19937 position and
     * words, and the cached normal value. It can be passed to {@link #setState} here, or to
     * {@code torch.Generator().set_state(torch.tensor(list(bytes), dtype=torch.uint8))}.
     */
    public synchronized byte[] getState() {
        ByteBuffer b = ByteBuffer.allocate(STATE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(seed);
        b.putInt(left);
        b.putInt(1); // seeded
        b.putLong(next);
        for (int word : mt) {
            b.putLong(word & 0xffffffffL);
        }
        b.putDouble(0.0); // normal_x, unused
        b.putDouble(hasNextDoubleNormal ? nextDoubleNormal : 0.0);
        b.putDouble(0.0); // normal_rho, unused
        b.putInt(hasNextDoubleNormal ? 1 : 0);
        b.putInt(0); // padding
        b.putFloat(hasNextFloatNormal ? nextFloatNormal : 0f);
        b.put((byte) (hasNextFloatNormal ? 1 : 0));
        return b.array();
    }

    /**
     * Restores a state from {@link #getState()} or from PyTorch's {@code get_state()} bytes; like
     * PyTorch 1.13 it also accepts the {@value #LEGACY_STATE_SIZE}-byte state of PyTorch before 1.5,
     * whose cached normal value is recomputed as normal_rho · sin(2π · normal_x).
     */
    public synchronized Generator setState(byte[] state) {
        if (state.length != STATE_SIZE && state.length != LEGACY_STATE_SIZE) {
            throw new IllegalArgumentException("Expected either a CPUGeneratorImplStateLegacy of size " + LEGACY_STATE_SIZE
                    + " or a CPUGeneratorImplState of size " + STATE_SIZE
                    + " but found the input RNG state size to be " + state.length);
        }
        ByteBuffer b = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        long newSeed = b.getLong();
        int newLeft = b.getInt();
        boolean seeded = b.getInt() != 0;
        long newNext = b.getLong() & 0xffffffffL;
        int[] words = new int[N];
        for (int i = 0; i < N; i++) {
            words[i] = (int) b.getLong();
        }
        double normalX = b.getDouble();
        double normalY = b.getDouble();
        double normalRho = b.getDouble();
        boolean normalValid = b.getInt() != 0;
        boolean floatValid = false;
        float floatNormal = 0f;
        if (state.length == STATE_SIZE) {
            b.getInt(); // padding
            floatNormal = b.getFloat();
            floatValid = b.get() != 0;
        } else if (normalValid) {
            normalY = normalRho * StrictMath.sin(2.0 * Math.PI * normalX);
        }
        if (!seeded || newLeft <= 0 || newLeft > N || newNext > N) {
            throw new IllegalArgumentException("Invalid mt19937 state");
        }
        seed = newSeed;
        left = newLeft;
        next = (int) newNext;
        System.arraycopy(words, 0, mt, 0, N);
        hasNextDoubleNormal = normalValid;
        nextDoubleNormal = normalValid ? normalY : 0.0;
        hasNextFloatNormal = floatValid;
        nextFloatNormal = floatValid ? floatNormal : 0f;
        return this;
    }

    // ------------------------------------------------------------------ normal fills (contiguous, ≥ 16)

    /** PyTorch's normal_fill_AVX2: uniforms, then Box–Muller on blocks of 16 in float with the AVX2 polynomials. */
    private void normalFillFloat(float[] data, int offset, int size, float mean, float std) {
        for (int i = 0; i < size; i++) {
            data[offset + i] = uniformFloat(0f, 1f);
        }
        float[] scratch = new float[2];
        for (int i = 0; i < size - 15; i += 16) {
            normalFill16Float(data, offset + i, mean, std, scratch);
        }
        if (size % 16 != 0) {
            int start = offset + size - 16;
            for (int i = 0; i < 16; i++) {
                data[start + i] = uniformFloat(0f, 1f);
            }
            normalFill16Float(data, start, mean, std, scratch);
        }
    }

    private static final float TWO_PI_FLOAT = (float) (2.0 * Math.PI);

    private static void normalFill16Float(float[] data, int at, float mean, float std, float[] sc) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1.0f - data[at + j];
            float u2 = data[at + j + 8];
            float radius = (float) Math.sqrt(-2.0f * AvxMath.log(u1));
            AvxMath.sincos(TWO_PI_FLOAT * u2, sc, 0);
            float n1 = radius * sc[1];
            float n2 = radius * sc[0];
            data[at + j] = Math.fma(n1, std, mean);
            data[at + j + 8] = Math.fma(n2, std, mean);
        }
    }

    /** PyTorch's normal_fill for double: the same blocks of 16, with double log, cos and sin (StrictMath for glibc's). */
    private void normalFillDouble(double[] data, int offset, int size, double mean, double std) {
        for (int i = 0; i < size; i++) {
            data[offset + i] = uniformDouble(0, 1);
        }
        for (int i = 0; i < size - 15; i += 16) {
            normalFill16Double(data, offset + i, mean, std);
        }
        if (size % 16 != 0) {
            int start = offset + size - 16;
            for (int i = 0; i < 16; i++) {
                data[start + i] = uniformDouble(0, 1);
            }
            normalFill16Double(data, start, mean, std);
        }
    }

    private static void normalFill16Double(double[] data, int at, double mean, double std) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - data[at + j];
            double u2 = data[at + j + 8];
            double radius = Math.sqrt(-2 * StrictMath.log(u1));
            double theta = 2.0 * Math.PI * u2;
            data[at + j] = Math.fma(radius * StrictMath.cos(theta), std, mean);
            data[at + j + 8] = Math.fma(radius * StrictMath.sin(theta), std, mean);
        }
    }

    // ------------------------------------------------------------------ element order

    /** A double as C++'s {@code std::ostream} prints it (6 significant digits, %g), for PyTorch's messages. */
    private static String cppDouble(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return 1 / x < 0 ? "-0" : "0";
        }
        BigDecimal d = new BigDecimal(x).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = d.precision() - d.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String mantissa = d.movePointLeft(exp).stripTrailingZeros().toPlainString();
            return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return d.stripTrailingZeros().toPlainString();
    }

    private static void requireFloating(Tensor t, String kernel) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + t.dtype().scalarTypeName() + "'");
        }
    }

    /** Storage offsets of t's elements in the order PyTorch's TensorIterator visits them. */
    private static int[] iterationOffsets(Tensor t) {
        return offsetsInOrder(t.shape(), t.stride(), t.storageOffset(), iterationOrder(t));
    }

    /**
     * TensorIterator's dimension order for a written tensor, innermost first: dimensions sorted by
     * stride, smallest innermost, starting from the last dimension (so row-major for contiguous
     * tensors and memory order for permuted ones).
     */
    private static int[] iterationOrder(Tensor t) {
        int[] shape = t.shape();
        int[] stride = t.stride();
        int nd = shape.length;
        for (int d = 0; d < nd; d++) {
            if (shape[d] > 1 && stride[d] == 0) {
                throw new IllegalArgumentException("unsupported operation: more than one element of the written-to tensor "
                        + "refers to a single memory location. Please clone() the tensor before performing the operation.");
            }
        }
        int[] perm = new int[nd];
        for (int i = 0; i < nd; i++) {
            perm[i] = nd - 1 - i;
        }
        // insertion sort as TensorIterator::reorder_dimensions
        for (int i = 1; i < nd; i++) {
            int dim1 = i;
            for (int dim0 = i - 1; dim0 >= 0; dim0--) {
                int cmp = compareDims(shape, stride, perm[dim0], perm[dim1]);
                if (cmp > 0) {
                    int tmp = perm[dim0];
                    perm[dim0] = perm[dim1];
                    perm[dim1] = tmp;
                    dim1 = dim0;
                } else if (cmp < 0) {
                    break;
                }
            }
        }
        return perm;
    }

    private static int compareDims(int[] shape, int[] stride, int d0, int d1) {
        long s0 = stride[d0];
        long s1 = stride[d1];
        if (s0 == 0 || s1 == 0) {
            return 0;
        }
        if (s0 != s1) {
            return s0 < s1 ? -1 : 1;
        }
        return shape[d0] > shape[d1] ? 1 : 0;
    }

    /** Offsets visiting dims with {@code order[0]} innermost. */
    private static int[] offsetsInOrder(int[] shape, int[] stride, int offset, int[] order) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        int nd = order.length;
        int[] idx = new int[nd];
        int off = offset;
        for (int i = 0; i < n; i++) {
            out[i] = off;
            for (int k = 0; k < nd; k++) {
                int d = order[k];
                if (++idx[k] < shape[d]) {
                    off += stride[d];
                    break;
                }
                off -= stride[d] * (shape[d] - 1);
                idx[k] = 0;
            }
        }
        return out;
    }
}
