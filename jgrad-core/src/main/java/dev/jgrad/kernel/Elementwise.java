package dev.jgrad.kernel;

/**
 * Typed inner loops of the element-wise kernels: one loop per (op, dtype, stride pattern) so that
 * C2 compiles each to straight-line, auto-vectorised code (no virtual call per element for the
 * common ops). Float32 loops compute in float: for + − × ÷ that is exactly the double result
 * rounded once, as before.
 */
final class Elementwise {
    private Elementwise() {
    }

    /** {@code op(x[i])} for n contiguous elements from {@code xOff}. */
    static void unaryF(UnaryOp op, float[] x, int xOff, float[] out, int n) {
        switch (op) {
            case RELU:
                // max(v, +0) is v <= 0 ? +0 : v exactly (NaN stays NaN, -0 becomes +0)
                OptimKernels.get().relu(n, x, xOff, out);
                return;
            case NEG:
                for (int i = 0; i < n; i++) {
                    out[i] = -x[xOff + i];
                }
                return;
            case SQUARE:
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    out[i] = v * v;
                }
                return;
            default:
                for (int i = 0; i < n; i++) {
                    out[i] = op.apply(x[xOff + i]);
                }
        }
    }

    /** {@code op(x[i])} for n contiguous elements from {@code xOff}. */
    static void unaryD(UnaryOp op, double[] x, int xOff, double[] out, int n) {
        switch (op) {
            case RELU:
                for (int i = 0; i < n; i++) {
                    out[i] = Math.max(x[xOff + i], 0.0);
                }
                return;
            case NEG:
                for (int i = 0; i < n; i++) {
                    out[i] = -x[xOff + i];
                }
                return;
            case SQUARE:
                for (int i = 0; i < n; i++) {
                    double v = x[xOff + i];
                    out[i] = v * v;
                }
                return;
            default:
                for (int i = 0; i < n; i++) {
                    out[i] = op.apply(x[xOff + i]);
                }
        }
    }

    /** {@code op(a[i], s)} (or {@code op(s, a[i])}) for n contiguous elements from {@code aOff}. */
    static void scalarF(BinaryOp op, float[] a, int aOff, float s, boolean reversed, float[] out, int n) {
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    out[i] = a[aOff + i] + s;
                }
                return;
            case MUL:
                for (int i = 0; i < n; i++) {
                    out[i] = a[aOff + i] * s;
                }
                return;
            case SUB:
                if (reversed) {
                    for (int i = 0; i < n; i++) {
                        out[i] = s - a[aOff + i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = a[aOff + i] - s;
                    }
                }
                return;
            case DIV:
                if (reversed) {
                    for (int i = 0; i < n; i++) {
                        out[i] = s / a[aOff + i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = a[aOff + i] / s;
                    }
                }
                return;
            default:
                for (int i = 0; i < n; i++) {
                    float x = a[aOff + i];
                    out[i] = (float) (reversed ? op.apply(s, x) : op.apply(x, s));
                }
        }
    }

    /** {@code op(a[i], s)} (or {@code op(s, a[i])}) for n contiguous elements from {@code aOff}. */
    static void scalarD(BinaryOp op, double[] a, int aOff, double s, boolean reversed, double[] out, int n) {
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    out[i] = a[aOff + i] + s;
                }
                return;
            case MUL:
                for (int i = 0; i < n; i++) {
                    out[i] = a[aOff + i] * s;
                }
                return;
            case SUB:
                if (reversed) {
                    for (int i = 0; i < n; i++) {
                        out[i] = s - a[aOff + i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = a[aOff + i] - s;
                    }
                }
                return;
            case DIV:
                if (reversed) {
                    for (int i = 0; i < n; i++) {
                        out[i] = s / a[aOff + i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = a[aOff + i] / s;
                    }
                }
                return;
            default:
                for (int i = 0; i < n; i++) {
                    double x = a[aOff + i];
                    out[i] = (double) (reversed ? op.apply(s, x) : op.apply(x, s));
                }
        }
    }

    /** Element-wise {@code op(a, b)} over an {@link Iter} of (a, b) into contiguous {@code out}. */
    static void binaryF(BinaryOp op, float[] a, float[] b, float[] out, Iter it) {
        switch (op) {
            case ADD: addF(a, b, out, it); return;
            case SUB: subF(a, b, out, it); return;
            case MUL: mulF(a, b, out, it); return;
            case DIV: divF(a, b, out, it); return;
            default: break;
        }
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next()) {
            for (int j = 0, pa = it.offA, pb = it.offB; j < inner; j++, pa += ia, pb += ib) {
                out[o++] = (float) op.apply(a[pa], b[pb]);
            }
        }
    }

    private static void addF(float[] a, float[] b, float[] out, Iter it) {
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next(), o += inner) {
            int pa = it.offA;
            int pb = it.offB;
            if (ia == 1 && ib == 1) {
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] + b[pb + j];
                }
            } else if (ia == 1 && ib == 0) {
                float y = b[pb];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] + y;
                }
            } else if (ia == 0 && ib == 1) {
                float x = a[pa];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = x + b[pb + j];
                }
            } else {
                for (int j = 0; j < inner; j++, pa += ia, pb += ib) {
                    out[o + j] = a[pa] + b[pb];
                }
            }
        }
    }

    private static void subF(float[] a, float[] b, float[] out, Iter it) {
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next(), o += inner) {
            int pa = it.offA;
            int pb = it.offB;
            if (ia == 1 && ib == 1) {
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] - b[pb + j];
                }
            } else if (ia == 1 && ib == 0) {
                float y = b[pb];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] - y;
                }
            } else if (ia == 0 && ib == 1) {
                float x = a[pa];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = x - b[pb + j];
                }
            } else {
                for (int j = 0; j < inner; j++, pa += ia, pb += ib) {
                    out[o + j] = a[pa] - b[pb];
                }
            }
        }
    }

    private static void mulF(float[] a, float[] b, float[] out, Iter it) {
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next(), o += inner) {
            int pa = it.offA;
            int pb = it.offB;
            if (ia == 1 && ib == 1) {
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] * b[pb + j];
                }
            } else if (ia == 1 && ib == 0) {
                float y = b[pb];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] * y;
                }
            } else if (ia == 0 && ib == 1) {
                float x = a[pa];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = x * b[pb + j];
                }
            } else {
                for (int j = 0; j < inner; j++, pa += ia, pb += ib) {
                    out[o + j] = a[pa] * b[pb];
                }
            }
        }
    }

    private static void divF(float[] a, float[] b, float[] out, Iter it) {
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next(), o += inner) {
            int pa = it.offA;
            int pb = it.offB;
            if (ia == 1 && ib == 1) {
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] / b[pb + j];
                }
            } else if (ia == 1 && ib == 0) {
                float y = b[pb];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] / y;
                }
            } else if (ia == 0 && ib == 1) {
                float x = a[pa];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = x / b[pb + j];
                }
            } else {
                for (int j = 0; j < inner; j++, pa += ia, pb += ib) {
                    out[o + j] = a[pa] / b[pb];
                }
            }
        }
    }

    /** Element-wise {@code op(a, b)} over an {@link Iter} of (a, b) into contiguous {@code out}. */
    static void binaryD(BinaryOp op, double[] a, double[] b, double[] out, Iter it) {
        switch (op) {
            case ADD: addD(a, b, out, it); return;
            case SUB: subD(a, b, out, it); return;
            case MUL: mulD(a, b, out, it); return;
            case DIV: divD(a, b, out, it); return;
            default: break;
        }
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next()) {
            for (int j = 0, pa = it.offA, pb = it.offB; j < inner; j++, pa += ia, pb += ib) {
                out[o++] = (double) op.apply(a[pa], b[pb]);
            }
        }
    }

    private static void addD(double[] a, double[] b, double[] out, Iter it) {
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next(), o += inner) {
            int pa = it.offA;
            int pb = it.offB;
            if (ia == 1 && ib == 1) {
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] + b[pb + j];
                }
            } else if (ia == 1 && ib == 0) {
                double y = b[pb];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] + y;
                }
            } else if (ia == 0 && ib == 1) {
                double x = a[pa];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = x + b[pb + j];
                }
            } else {
                for (int j = 0; j < inner; j++, pa += ia, pb += ib) {
                    out[o + j] = a[pa] + b[pb];
                }
            }
        }
    }

    private static void subD(double[] a, double[] b, double[] out, Iter it) {
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next(), o += inner) {
            int pa = it.offA;
            int pb = it.offB;
            if (ia == 1 && ib == 1) {
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] - b[pb + j];
                }
            } else if (ia == 1 && ib == 0) {
                double y = b[pb];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] - y;
                }
            } else if (ia == 0 && ib == 1) {
                double x = a[pa];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = x - b[pb + j];
                }
            } else {
                for (int j = 0; j < inner; j++, pa += ia, pb += ib) {
                    out[o + j] = a[pa] - b[pb];
                }
            }
        }
    }

    private static void mulD(double[] a, double[] b, double[] out, Iter it) {
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next(), o += inner) {
            int pa = it.offA;
            int pb = it.offB;
            if (ia == 1 && ib == 1) {
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] * b[pb + j];
                }
            } else if (ia == 1 && ib == 0) {
                double y = b[pb];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] * y;
                }
            } else if (ia == 0 && ib == 1) {
                double x = a[pa];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = x * b[pb + j];
                }
            } else {
                for (int j = 0; j < inner; j++, pa += ia, pb += ib) {
                    out[o + j] = a[pa] * b[pb];
                }
            }
        }
    }

    private static void divD(double[] a, double[] b, double[] out, Iter it) {
        int inner = it.inner;
        int ia = it.innerA;
        int ib = it.innerB;
        int o = 0;
        for (int r = 0; r < it.rows; r++, it.next(), o += inner) {
            int pa = it.offA;
            int pb = it.offB;
            if (ia == 1 && ib == 1) {
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] / b[pb + j];
                }
            } else if (ia == 1 && ib == 0) {
                double y = b[pb];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = a[pa + j] / y;
                }
            } else if (ia == 0 && ib == 1) {
                double x = a[pa];
                for (int j = 0; j < inner; j++) {
                    out[o + j] = x / b[pb + j];
                }
            } else {
                for (int j = 0; j < inner; j++, pa += ia, pb += ib) {
                    out[o + j] = a[pa] / b[pb];
                }
            }
        }
    }
}
