package dev.jgrad.kernel;

/**
 * Matrix products {@code C = A·B} on raw arrays with any strides for A and B (so transposed
 * operands are read in place, never materialised) and a row-major C.
 *
 * <p>Two paths, in separate methods so that the JIT profiles them apart:
 * <ul>
 *   <li>small products ({@code m·n·k <= }{@link #SMALL_WORK}): plain loops on the operands, no
 *       packing, no threads, no allocation;</li>
 *   <li>larger ones: BLIS-style blocking (NC columns, KC depth, MC rows), A and B packed into
 *       per-thread buffers that are reused, and a register-tiled {@link MicroKernels micro-kernel}.
 *       With more than one thread the output is split once into equal row or column ranges
 *       (whole micro-tiles), a partition that depends on the shape and thread count only.</li>
 * </ul>
 * Either way every element of C is one chain of fused multiply-adds over k in order, starting
 * from zero: the same bits on every path, for any thread count (the determinism guarantee) and as
 * OpenBLAS computes short dot products.
 *
 * <p>An optional {@link Epilogue} (addmm's bias and a linear layer's activation, or ReLU's
 * backward mask) finishes each block of C right after the block's last step of k, by the thread
 * that computed it, while the block is in cache: one pass over C fewer, and no second buffer.
 */
public final class Gemm {
    /** Products with at most this many multiply-adds take the small path. */
    static final long SMALL_WORK = 8 * 1024;
    /**
     * Products with fewer multiply-adds than this run on one thread (measured on 2 cores: a
     * 128³ product gains 1.6× from the second thread, a 96³ one loses). The system property
     * {@code jgrad.gemm.parallelWork} overrides it, for benchmarks.
     */
    static final long PARALLEL_WORK = Long.getLong("jgrad.gemm.parallelWork", 100L * 100 * 100);
    static final int KC = Integer.getInteger("jgrad.gemm.kc", 384);
    static final int MC = Integer.getInteger("jgrad.gemm.mc", 120);
    static final int NC = 2048;
    /**
     * Whether A may be read in place by the micro-kernel instead of packed (whole row panels;
     * row-major A unless its rows are a multiple of 4 KiB apart, where they would alias in L1, or
     * a transposed A): saves packing A, which is not amortised when n is small, and lets threads
     * that split the columns share A. Off by default since the micro-kernels' loops index with
     * constant strides (their range checks hoisted): packed A, with the widest tiles, was then faster
     * at every size measured on AVX-512 (SGEMM N = 1024: 127 against 114 GFLOP/s on one thread, 235
     * against 219 on two) and the same for the MLP. The system property
     * {@code jgrad.gemm.directA=true} turns it on; the tests run both.
     */
    static final boolean DIRECT_A = "true".equals(System.getProperty("jgrad.gemm.directA"));

    /**
     * Whether A may be read in place with tiles of at most {@link MicroKernels#fewRows} rows where
     * {@link #directA} refuses it because its rows alias in L1 (a multiple of 4 KiB apart): a few
     * rows of one set still fit the cache's ways. Measured at N = 1024 float32: 5% faster on one
     * thread, 9% on two, than packing A (which each thread of a column split does in full).
     */
    static boolean fewRowsInPlace(boolean allowDirectA, int rsa, int csa) {
        return allowDirectA && csa == 1 && !directA(rsa, csa);
    }

    static boolean directA(int rsa, int csa) {
        return (csa == 1 && rsa % 1024 != 0) || (rsa == 1 && csa != 1);
    }

    /** Rows (of B) or columns (of A) transposed at a time when packing a transposed operand. */
    static final int P_CHUNK = 16;

    static final MicroKernels MICRO = loadMicroKernels();

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private Gemm() {
    }

    /**
     * The widest micro-kernels this JVM can run: 512-bit Vector API kernels when the JIT prefers
     * 512-bit vectors (AVX-512), else 256-bit ones, else scalar when the
     * {@code jdk.incubator.vector} module is absent. The system property {@code jgrad.gemm}
     * ({@code scalar}, {@code vector256}, {@code vector512}) forces one, for benchmarks.
     */
    private static MicroKernels loadMicroKernels() {
        String forced = System.getProperty("jgrad.gemm", "");
        if (!"scalar".equals(forced) && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            String[] order = "vector256".equals(forced) ? new String[] {"VectorMicroKernels"}
                    : "vector512".equals(forced) ? new String[] {"Vector512MicroKernels"}
                    : new String[] {"Vector512MicroKernels", "VectorMicroKernels"};
            for (String name : order) {
                try {
                    return (MicroKernels) Class.forName("dev.jgrad.kernel." + name).getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    // not usable here: try the next
                }
            }
        }
        return new ScalarMicroKernels();
    }

    /** Products with at least this many multiply-adds are split over the threads. */
    public static long parallelWork() {
        return PARALLEL_WORK;
    }

    /** Which micro-kernel this JVM uses, e.g. "Vector API 6x16 (float32), 6x8 (float64)". */
    public static String describe() {
        return MICRO.describe();
    }

    /** True when the Vector API micro-kernels are in use. */
    public static boolean vectorized() {
        return !(MICRO instanceof ScalarMicroKernels);
    }

    /** Reusable packing buffers of one thread. */
    private static final class Workspace {
        float[] apF = new float[0];
        float[] bpF = new float[0];
        float[] tileF = new float[0];
        double[] apD = new double[0];
        double[] bpD = new double[0];
        double[] tileD = new double[0];

        void ensureF(int ap, int bp, int tile) {
            if (apF.length < ap) {
                apF = new float[ap];
            }
            if (bpF.length < bp) {
                bpF = new float[bp];
            }
            if (tileF.length < tile) {
                tileF = new float[tile];
            }
        }

        void ensureD(int ap, int bp, int tile) {
            if (apD.length < ap) {
                apD = new double[ap];
            }
            if (bpD.length < bp) {
                bpD = new double[bp];
            }
            if (tileD.length < tile) {
                tileD = new double[tile];
            }
        }
    }

    private static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    /** How many parts to split a product into, and whether along rows (true) or columns. */
    private static int parts(int m, int n, int k, int mr, int nr) {
        int threads = Parallel.numThreads();
        if (threads <= 1 || (long) m * n * k < PARALLEL_WORK) {
            return 1;
        }
        int tiles = Math.max((m + mr - 1) / mr, (n + nr - 1) / nr);
        return Math.max(1, Math.min(threads, tiles));
    }

    /**
     * Whether to split a product over threads by rows of C (else by columns): each thread packs
     * all of the operand it does not split, so split the one that is costlier to pack (B, k × n,
     * when n ≥ m), unless it has a single tile. Depends on the shape only.
     */
    static boolean splitByRows(int m, int n, int mr, int nr) {
        int rowTiles = (m + mr - 1) / mr;
        int colTiles = (n + nr - 1) / nr;
        if (colTiles < 2) {
            return true;
        }
        if (rowTiles < 2) {
            return false;
        }
        return m > n;
    }

    /** Start of range {@code part} of {@code parts} over [0, size) in whole units of {@code unit}. */
    static int split(int size, int unit, int part, int parts) {
        int units = (size + unit - 1) / unit;
        long start = (long) units * part / parts;
        return (int) Math.min(size, start * unit);
    }

    // ------------------------------------------------------------------ float32

    /**
     * {@code c[cOff + i·ldc + j] = Σ_p a[aOff + i·rsa + p·csa] · b[bOff + p·rsb + j·csb]} for
     * i < m, j < n (C overwritten).
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int rsa, int csa, float[] b, int bOff, int rsb,
                            int csb, float[] c, int cOff, int ldc) {
        gemm(m, n, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, null);
    }

    /**
     * The product followed by {@code ep} on every element of C (null: nothing), applied block by
     * block as each block of C is finished (so while it is in cache), by the thread that computed it.
     */
    static void gemm(int m, int n, int k, float[] a, int aOff, int rsa, int csa, float[] b, int bOff, int rsb,
                     int csb, float[] c, int cOff, int ldc, Epilogue ep) {
        if (m == 0 || n == 0) {
            return;
        }
        if ((long) m * n * k <= SMALL_WORK) {
            smallF(m, n, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, ep);
            return;
        }
        int mr = MICRO.rowsF(m);
        int nr = MICRO.nrF;
        int parts = parts(m, n, k, mr, nr);
        if (parts == 1) {
            blockedF(MICRO, DIRECT_A, 0, m, 0, n, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, ep);
            return;
        }
        boolean byRows = splitByRows(m, n, mr, nr);
        Parallel.run(parts, (part, ps) -> {
            if (byRows) {
                blockedF(MICRO, DIRECT_A, split(m, mr, part, ps), split(m, mr, part + 1, ps), 0, n, k, a, aOff, rsa, csa, b, bOff, rsb,
                        csb, c, cOff, ldc, ep);
            } else {
                blockedF(MICRO, DIRECT_A, 0, m, split(n, nr, part, ps), split(n, nr, part + 1, ps), k, a, aOff, rsa, csa, b, bOff, rsb,
                        csb, c, cOff, ldc, ep);
            }
        });
    }

    /** The small path: i-k-j into C when B's rows are contiguous, else one dot product per element. */
    static void smallF(int m, int n, int k, float[] a, int aOff, int rsa, int csa, float[] b, int bOff, int rsb, int csb,
                       float[] c, int cOff, int ldc) {
        smallF(m, n, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, null);
    }

    /** The small path, each row of C finished by {@code ep} as soon as it is complete (null: nothing). */
    static void smallF(int m, int n, int k, float[] a, int aOff, int rsa, int csa, float[] b, int bOff, int rsb, int csb,
                       float[] c, int cOff, int ldc, Epilogue ep) {
        if (csb == 1 && k > 0) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                int ai = aOff + i * rsa;
                // the first term starts the row: a·b + 0 is fma(a, b, +0), −0 products included
                float a0 = a[ai];
                for (int j = 0; j < n; j++) {
                    c[ci + j] = a0 * b[bOff + j] + 0f;
                }
                for (int p = 1; p < k; p++) {
                    float av = a[ai + p * csa];
                    int bi = bOff + p * rsb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] = Math.fma(av, b[bi + j], c[ci + j]);
                    }
                }
                if (ep != null) {
                    ep.applyF(c, cOff, ldc, i, i + 1, 0, n);
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                int ai = aOff + i * rsa;
                for (int j = 0; j < n; j++) {
                    float acc = 0f;
                    int bj = bOff + j * csb;
                    for (int p = 0; p < k; p++) {
                        acc = Math.fma(a[ai + p * csa], b[bj + p * rsb], acc);
                    }
                    c[ci + j] = acc;
                }
                if (ep != null) {
                    ep.applyF(c, cOff, ldc, i, i + 1, 0, n);
                }
            }
        }
    }

    static void blockedF(MicroKernels micro, boolean allowDirectA, int i0, int i1, int j0, int j1, int k, float[] a, int aOff, int rsa, int csa, float[] b,
                         int bOff, int rsb, int csb, float[] c, int cOff, int ldc) {
        blockedF(micro, allowDirectA, i0, i1, j0, j1, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, null);
    }

    /**
     * The blocked path; {@code ep} (null: nothing) finishes each block of C (the rows of one MC
     * block, the columns of one NC block) right after its last kc step.
     */
    static void blockedF(MicroKernels micro, boolean allowDirectA, int i0, int i1, int j0, int j1, int k, float[] a, int aOff, int rsa, int csa, float[] b,
                         int bOff, int rsb, int csb, float[] c, int cOff, int ldc, Epilogue ep) {
        if (i1 <= i0 || j1 <= j0) {
            return;
        }
        if (k == 0) {
            for (int i = i0; i < i1; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc + j0, cOff + i * ldc + j1, 0f);
            }
            if (ep != null) {
                ep.applyF(c, cOff, ldc, i0, i1, j0, j1);
            }
            return;
        }
        int mr = micro.rowsF(i1 - i0);
        int nr = micro.nrF;
        Workspace ws = WORKSPACE.get();
        boolean direct = allowDirectA && directA(rsa, csa);
        if (fewRowsInPlace(allowDirectA, rsa, csa) && micro.fewRowsF() > 0) {
            direct = true;
            mr = micro.fewRowsF();
        }
        int kcMax = Math.min(KC, k);
        ws.ensureF(roundUp(Math.min(MC, i1 - i0), mr) * kcMax, roundUp(Math.min(NC, j1 - j0), nr) * kcMax, mr * nr);
        float[] ap = ws.apF;
        float[] bp = ws.bpF;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packBF(b, bOff, rsb, csb, pc, kc, jc, nc, bp, nr);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    int whole = direct ? mc / mr * mr : 0;
                    if (whole > 0) {
                        micro.blockF(mr, whole, nc, kc, a, aOff + ic * rsa + pc * csa, rsa, rsa, csa, bp, c,
                                cOff + ic * ldc + jc, ldc, pc > 0, ws.tileF);
                    }
                    if (whole < mc) {
                        packAF(a, aOff, rsa, csa, ic + whole, mc - whole, pc, kc, ap, mr);
                        micro.blockF(mr, mc - whole, nc, kc, ap, 0, kc, 1, mr, bp, c, cOff + (ic + whole) * ldc + jc, ldc,
                                pc > 0, ws.tileF);
                    }
                    if (ep != null && pc + kc == k) {
                        ep.applyF(c, cOff, ldc, ic, ic + mc, jc, jc + nc);
                    }
                }
            }
        }
    }

    static void packAF(float[] a, int aOff, int rsa, int csa, int i0, int mc, int p0, int kc, float[] ap, int mr) {
        for (int ir = 0; ir < mc; ir += mr) {
            int base = ir * kc;
            int rows = Math.min(mr, mc - ir);
            if (csa == 1 && rsa != 1) {
                // rows of A are contiguous: transpose in chunks of P_CHUNK columns so the writes stay in L1
                for (int p1 = 0; p1 < kc; p1 += P_CHUNK) {
                    int pe = Math.min(kc, p1 + P_CHUNK);
                    for (int r = 0; r < rows; r++) {
                        int src = aOff + (i0 + ir + r) * rsa + p0;
                        for (int p = p1, d = base + r + p1 * mr; p < pe; p++, d += mr) {
                            ap[d] = a[src + p];
                        }
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (i0 + ir) * rsa + (p0 + p) * csa;
                    int d = base + p * mr;
                    for (int r = 0; r < rows; r++) {
                        ap[d + r] = a[src + r * rsa];
                    }
                }
            }
            if (rows < mr) {
                for (int p = 0, d = base; p < kc; p++, d += mr) {
                    java.util.Arrays.fill(ap, d + rows, d + mr, 0f);
                }
            }
        }
    }

    static void packBF(float[] b, int bOff, int rsb, int csb, int p0, int kc, int j0, int nc, float[] bp, int nr) {
        for (int jr = 0; jr < nc; jr += nr) {
            int base = jr * kc;
            int cols = Math.min(nr, nc - jr);
            if (csb == 1) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * rsb + j0 + jr;
                    int d = base + p * nr;
                    System.arraycopy(b, src, bp, d, cols);
                    if (cols < nr) {
                        java.util.Arrays.fill(bp, d + cols, d + nr, 0f);
                    }
                }
            } else if (cols == nr) {
                // a whole panel of a transposed operand: gathers (Vector API) or chunked copies
                OptimKernels.get().gatherPanel(kc, b, bOff + p0 * rsb + (j0 + jr) * csb, rsb, csb, bp, base, nr);
            } else {
                // columns of B are contiguous (a transposed operand): transpose in chunks of
                // P_CHUNK rows so that the written lines stay in L1 while all columns fill them
                for (int p1 = 0; p1 < kc; p1 += P_CHUNK) {
                    int pe = Math.min(kc, p1 + P_CHUNK);
                    for (int q = 0; q < cols; q++) {
                        int src = bOff + (p0 + p1) * rsb + (j0 + jr + q) * csb;
                        for (int p = p1, d = base + q + p1 * nr; p < pe; p++, d += nr, src += rsb) {
                            bp[d] = b[src];
                        }
                    }
                    if (cols < nr) {
                        for (int p = p1, d = base + p1 * nr; p < pe; p++, d += nr) {
                            java.util.Arrays.fill(bp, d + cols, d + nr, 0f);
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ float64 (the same, in double)

    /** The float64 twin of {@link #gemm(int, int, int, float[], int, int, int, float[], int, int, int, float[], int, int)}. */
    public static void gemm(int m, int n, int k, double[] a, int aOff, int rsa, int csa, double[] b, int bOff, int rsb,
                            int csb, double[] c, int cOff, int ldc) {
        gemm(m, n, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, null);
    }

    /**
     * The product followed by {@code ep} on every element of C (null: nothing), applied block by
     * block as each block of C is finished (so while it is in cache), by the thread that computed it.
     */
    static void gemm(int m, int n, int k, double[] a, int aOff, int rsa, int csa, double[] b, int bOff, int rsb,
                     int csb, double[] c, int cOff, int ldc, Epilogue ep) {
        if (m == 0 || n == 0) {
            return;
        }
        if ((long) m * n * k <= SMALL_WORK) {
            smallD(m, n, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, ep);
            return;
        }
        int mr = MICRO.rowsD(m);
        int nr = MICRO.nrD;
        int parts = parts(m, n, k, mr, nr);
        if (parts == 1) {
            blockedD(MICRO, DIRECT_A, 0, m, 0, n, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, ep);
            return;
        }
        boolean byRows = splitByRows(m, n, mr, nr);
        Parallel.run(parts, (part, ps) -> {
            if (byRows) {
                blockedD(MICRO, DIRECT_A, split(m, mr, part, ps), split(m, mr, part + 1, ps), 0, n, k, a, aOff, rsa, csa, b, bOff, rsb,
                        csb, c, cOff, ldc, ep);
            } else {
                blockedD(MICRO, DIRECT_A, 0, m, split(n, nr, part, ps), split(n, nr, part + 1, ps), k, a, aOff, rsa, csa, b, bOff, rsb,
                        csb, c, cOff, ldc, ep);
            }
        });
    }

    static void smallD(int m, int n, int k, double[] a, int aOff, int rsa, int csa, double[] b, int bOff, int rsb,
                       int csb, double[] c, int cOff, int ldc) {
        smallD(m, n, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, null);
    }

    /** The small path, each row of C finished by {@code ep} as soon as it is complete (null: nothing). */
    static void smallD(int m, int n, int k, double[] a, int aOff, int rsa, int csa, double[] b, int bOff, int rsb,
                       int csb, double[] c, int cOff, int ldc, Epilogue ep) {
        if (csb == 1 && k > 0) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                int ai = aOff + i * rsa;
                double a0 = a[ai];
                for (int j = 0; j < n; j++) {
                    c[ci + j] = a0 * b[bOff + j] + 0.0; // fma(a, b, +0), as in smallF
                }
                for (int p = 1; p < k; p++) {
                    double av = a[ai + p * csa];
                    int bi = bOff + p * rsb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] = Math.fma(av, b[bi + j], c[ci + j]);
                    }
                }
                if (ep != null) {
                    ep.applyD(c, cOff, ldc, i, i + 1, 0, n);
                }
            }
        } else {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                int ai = aOff + i * rsa;
                for (int j = 0; j < n; j++) {
                    double acc = 0.0;
                    int bj = bOff + j * csb;
                    for (int p = 0; p < k; p++) {
                        acc = Math.fma(a[ai + p * csa], b[bj + p * rsb], acc);
                    }
                    c[ci + j] = acc;
                }
                if (ep != null) {
                    ep.applyD(c, cOff, ldc, i, i + 1, 0, n);
                }
            }
        }
    }

    static void blockedD(MicroKernels micro, boolean allowDirectA, int i0, int i1, int j0, int j1, int k, double[] a, int aOff, int rsa, int csa, double[] b,
                         int bOff, int rsb, int csb, double[] c, int cOff, int ldc) {
        blockedD(micro, allowDirectA, i0, i1, j0, j1, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, null);
    }

    /**
     * The blocked path; {@code ep} (null: nothing) finishes each block of C (the rows of one MC
     * block, the columns of one NC block) right after its last kc step.
     */
    static void blockedD(MicroKernels micro, boolean allowDirectA, int i0, int i1, int j0, int j1, int k, double[] a, int aOff, int rsa, int csa, double[] b,
                         int bOff, int rsb, int csb, double[] c, int cOff, int ldc, Epilogue ep) {
        if (i1 <= i0 || j1 <= j0) {
            return;
        }
        if (k == 0) {
            for (int i = i0; i < i1; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc + j0, cOff + i * ldc + j1, 0.0);
            }
            if (ep != null) {
                ep.applyD(c, cOff, ldc, i0, i1, j0, j1);
            }
            return;
        }
        int mr = micro.rowsD(i1 - i0);
        int nr = micro.nrD;
        Workspace ws = WORKSPACE.get();
        boolean direct = allowDirectA && directA(rsa, csa);
        if (fewRowsInPlace(allowDirectA, rsa, csa) && micro.fewRowsD() > 0) {
            direct = true;
            mr = micro.fewRowsD();
        }
        int kcMax = Math.min(KC, k);
        ws.ensureD(roundUp(Math.min(MC, i1 - i0), mr) * kcMax, roundUp(Math.min(NC, j1 - j0), nr) * kcMax, mr * nr);
        double[] ap = ws.apD;
        double[] bp = ws.bpD;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packBD(b, bOff, rsb, csb, pc, kc, jc, nc, bp, nr);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    int whole = direct ? mc / mr * mr : 0;
                    if (whole > 0) {
                        micro.blockD(mr, whole, nc, kc, a, aOff + ic * rsa + pc * csa, rsa, rsa, csa, bp, c,
                                cOff + ic * ldc + jc, ldc, pc > 0, ws.tileD);
                    }
                    if (whole < mc) {
                        packAD(a, aOff, rsa, csa, ic + whole, mc - whole, pc, kc, ap, mr);
                        micro.blockD(mr, mc - whole, nc, kc, ap, 0, kc, 1, mr, bp, c, cOff + (ic + whole) * ldc + jc, ldc,
                                pc > 0, ws.tileD);
                    }
                    if (ep != null && pc + kc == k) {
                        ep.applyD(c, cOff, ldc, ic, ic + mc, jc, jc + nc);
                    }
                }
            }
        }
    }

    static void packAD(double[] a, int aOff, int rsa, int csa, int i0, int mc, int p0, int kc, double[] ap, int mr) {
        for (int ir = 0; ir < mc; ir += mr) {
            int base = ir * kc;
            int rows = Math.min(mr, mc - ir);
            if (csa == 1 && rsa != 1) {
                // rows of A are contiguous: transpose in chunks of P_CHUNK columns so the writes stay in L1
                for (int p1 = 0; p1 < kc; p1 += P_CHUNK) {
                    int pe = Math.min(kc, p1 + P_CHUNK);
                    for (int r = 0; r < rows; r++) {
                        int src = aOff + (i0 + ir + r) * rsa + p0;
                        for (int p = p1, d = base + r + p1 * mr; p < pe; p++, d += mr) {
                            ap[d] = a[src + p];
                        }
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (i0 + ir) * rsa + (p0 + p) * csa;
                    int d = base + p * mr;
                    for (int r = 0; r < rows; r++) {
                        ap[d + r] = a[src + r * rsa];
                    }
                }
            }
            if (rows < mr) {
                for (int p = 0, d = base; p < kc; p++, d += mr) {
                    java.util.Arrays.fill(ap, d + rows, d + mr, 0.0);
                }
            }
        }
    }

    static void packBD(double[] b, int bOff, int rsb, int csb, int p0, int kc, int j0, int nc, double[] bp, int nr) {
        for (int jr = 0; jr < nc; jr += nr) {
            int base = jr * kc;
            int cols = Math.min(nr, nc - jr);
            if (csb == 1) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (p0 + p) * rsb + j0 + jr;
                    int d = base + p * nr;
                    System.arraycopy(b, src, bp, d, cols);
                    if (cols < nr) {
                        java.util.Arrays.fill(bp, d + cols, d + nr, 0.0);
                    }
                }
            } else {
                // columns of B are contiguous (a transposed operand): transpose in chunks of
                // P_CHUNK rows so that the written lines stay in L1 while all columns fill them
                for (int p1 = 0; p1 < kc; p1 += P_CHUNK) {
                    int pe = Math.min(kc, p1 + P_CHUNK);
                    for (int q = 0; q < cols; q++) {
                        int src = bOff + (p0 + p1) * rsb + (j0 + jr + q) * csb;
                        for (int p = p1, d = base + q + p1 * nr; p < pe; p++, d += nr, src += rsb) {
                            bp[d] = b[src];
                        }
                    }
                    if (cols < nr) {
                        for (int p = p1, d = base + p1 * nr; p < pe; p++, d += nr) {
                            java.util.Arrays.fill(bp, d + cols, d + nr, 0.0);
                        }
                    }
                }
            }
        }
    }
}
