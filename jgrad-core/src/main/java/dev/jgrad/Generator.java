package dev.jgrad;

/**
 * A pseudo-random number generator with PyTorch's CPU engine (mt19937, seeded as PyTorch seeds
 * it) and its sampling transforms. Tensors' random factories and initialisers take one; without
 * it they use {@link Jgrad#defaultGenerator()}.
 * <pre>{@code
 * Generator g = new Generator(42);
 * Tensor x = Jgrad.rand(g, 2, 3);
 * }</pre>
 */
public class Generator {
    /** PyTorch's default CPU seed. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int mti;
    private long seed;
    private double nextDoubleNormal = Double.NaN;

    public Generator() {
        this(DEFAULT_SEED);
    }

    public Generator(long seed) {
        manualSeed(seed);
    }

    /** Re-seeds: state[0] = seed mod 2³², state[j] = 1812433253 · (state[j−1] ⊕ (state[j−1] ≫ 30)) + j. */
    public final synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        mt[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            mt[j] = 1812433253 * (mt[j - 1] ^ (mt[j - 1] >>> 30)) + j;
        }
        mti = N;
        nextDoubleNormal = Double.NaN;
        return this;
    }

    public long initialSeed() {
        return seed;
    }

    /** One tempered 32-bit mt19937 output, as an unsigned value. */
    public synchronized long random() {
        if (mti >= N) {
            twist();
        }
        int y = mt[mti++];
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

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int v = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                v ^= 0x9908b0df;
            }
            mt[i] = v;
        }
        mti = 0;
    }

    /** A float in [from, to): 24 random bits scaled by 2⁻²⁴, then x·(to − from) + from with one rounding. */
    public float uniformFloat(float from, float to) {
        float x = (random() & 0xFFFFFF) * (1.0f / (1 << 24));
        return Math.fma(x, to - from, from);
    }

    /** A double in [from, to): 53 random bits scaled by 2⁻⁵³. */
    public double uniformDouble(double from, double to) {
        double x = (random64() & ((1L << 53) - 1)) * (1.0 / (1L << 53));
        return x * (to - from) + from;
    }

    /** A standard normal double by Box–Muller, caching the second value as PyTorch does. */
    public synchronized double normalDouble() {
        if (!Double.isNaN(nextDoubleNormal)) {
            double r = nextDoubleNormal;
            nextDoubleNormal = Double.NaN;
            return r;
        }
        double u1 = uniformDouble(0, 1);
        double u2 = uniformDouble(0, 1);
        double r = Math.sqrt(-2.0 * Math.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormal = r * Math.sin(theta);
        return r * Math.cos(theta);
    }

    /** Fills {@code t} with uniform values in [from, to). */
    public void fillUniform(Tensor t, double from, double to) {
        int n = t.numel();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = t.dtype() == DType.FLOAT64 ? uniformDouble(from, to) : uniformFloat((float) from, (float) to);
        }
        write(t, v);
    }

    /** Fills {@code t} with normal values of the given mean and standard deviation. */
    public void fillNormal(Tensor t, double mean, double std) {
        int n = t.numel();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = normalDouble() * std + mean;
        }
        write(t, v);
    }

    /** A random integer in [low, high). */
    public long randomInt(long low, long high) {
        long range = high - low;
        if (range <= 0) {
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        }
        long r = range >= (1L << 32) ? random64() : random();
        return low + Long.remainderUnsigned(r, range);
    }

    private static void write(Tensor t, double[] v) {
        Tensor src = Tensor.fromDoubles(v, t.shape());
        try (var g = dev.jgrad.autograd.GradMode.noGrad()) {
            t.copy_(src);
        }
    }
}
