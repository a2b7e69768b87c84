package dev.jgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.DType;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.storage.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Element-wise kernels, reductions and copies against a reference that reads every element by
 * its multi-index ({@link Tensor#get}) and computes in double, rounded once to the result type:
 * contiguous, transposed, narrowed and broadcast operands, edge sizes, float32 and float64.
 * Results must match bit for bit.
 */
class ElementwiseKernelsTest {
    private final Random random = new Random(1234);

    private Tensor randomTensor(DType dtype, int... shape) {
        int n = Shapes.numel(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.round(random.nextGaussian() * 1000) / 250.0 + (random.nextInt(10) == 0 ? 0 : 0.001);
        }
        return Tensor.fromDoubles(v, shape).to(dtype);
    }

    /** Operands of the given logical shape in several layouts: contiguous, a transposed view, a narrowed view. */
    private List<Tensor> layouts(DType dtype, int... shape) {
        List<Tensor> list = new ArrayList<>();
        list.add(randomTensor(dtype, shape));
        if (shape.length >= 2) {
            int[] swapped = shape.clone();
            int last = shape.length - 1;
            swapped[last] = shape[last - 1];
            swapped[last - 1] = shape[last];
            list.add(randomTensor(dtype, swapped).transpose(last - 1, last));
        }
        if (shape.length >= 1) {
            int[] wider = shape.clone();
            wider[shape.length - 1] += 3;
            list.add(randomTensor(dtype, wider).narrow(shape.length - 1, 2, shape[shape.length - 1]));
        }
        return list;
    }

    private static int[] unravel(int lin, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = lin % shape[d];
            lin /= shape[d];
        }
        return idx;
    }

    private static double at(Tensor t, int[] outIdx) {
        int lead = outIdx.length - t.dim();
        int[] idx = new int[t.dim()];
        for (int d = 0; d < t.dim(); d++) {
            idx[d] = t.size(d) == 1 ? 0 : outIdx[d + lead];
        }
        return t.get(idx);
    }

    private static double round(double v, DType t) {
        return t == DType.FLOAT32 ? (float) v : v;
    }

    private static void assertBits(Tensor actual, double[] expected, String what) {
        double[] a = actual.toDoubleArray();
        assertThat(a.length).as(what + " length").isEqualTo(expected.length);
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(expected[i])) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + expected[i]);
            }
        }
    }

    private static final int[][][] BINARY_SHAPES = {
        {{7, 9}, {7, 9}},
        {{8, 33}, {33}},
        {{31, 1}, {1, 257}},
        {{9, 8}, {9, 1}},
        {{1}, {33, 7}},
        {{2, 3, 31}, {3, 1}},
        {{257}, {257}},
    };

    @Test
    void binaryOpsMatchTheReference() {
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM, BinaryOp.POW, BinaryOp.GT};
        int cases = 0;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[][] shapes : BINARY_SHAPES) {
                for (Tensor a : layouts(dtype, shapes[0])) {
                    for (Tensor b : layouts(dtype, shapes[1])) {
                        int[] out = Shapes.broadcast(a.shape(), b.shape(), "test");
                        for (BinaryOp op : ops) {
                            Tensor y = Kernels.binary(op, a, b, dtype);
                            double[] expected = new double[Shapes.numel(out)];
                            for (int i = 0; i < expected.length; i++) {
                                int[] idx = unravel(i, out);
                                double v = op.apply(at(a, idx), at(b, idx));
                                expected[i] = op.isComparison() ? v : round(v, dtype);
                            }
                            assertBits(y, expected, op + " " + dtype + " " + Shapes.format(a.shape()) + " stride "
                                    + java.util.Arrays.toString(a.stride()) + " with " + Shapes.format(b.shape()) + " stride "
                                    + java.util.Arrays.toString(b.stride()));
                            cases++;
                        }
                    }
                }
            }
        }
        assertThat(cases).isGreaterThan(300);
    }

    @Test
    void mixedDtypesTakeTheGeneralPath() {
        Tensor a = randomTensor(DType.FLOAT32, 7, 9);
        Tensor b = randomTensor(DType.FLOAT64, 9);
        Tensor y = Kernels.binary(BinaryOp.MUL, a, b, DType.FLOAT64);
        double[] expected = new double[63];
        for (int i = 0; i < 63; i++) {
            expected[i] = a.get(i / 9, i % 9) * b.get(i % 9);
        }
        assertBits(y, expected, "float32 * float64");
    }

    @Test
    void scalarOpsMatchTheReference() {
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.POW, BinaryOp.LE};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Tensor a : layouts(dtype, 33, 9)) {
                for (BinaryOp op : ops) {
                    for (boolean reversed : new boolean[] {false, true}) {
                        double s = round(0.3, dtype);
                        Tensor y = Kernels.binaryScalar(op, a, 0.3, reversed, dtype);
                        double[] expected = new double[a.numel()];
                        for (int i = 0; i < expected.length; i++) {
                            double x = a.get(i / 9, i % 9);
                            double v = reversed ? op.apply(s, x) : op.apply(x, s);
                            expected[i] = op.isComparison() ? v : round(v, dtype);
                        }
                        assertBits(y, expected, op + (reversed ? " reversed " : " ") + dtype + " stride "
                                + java.util.Arrays.toString(a.stride()));
                    }
                }
            }
        }
    }

    @Test
    void unaryOpsMatchTheReference() {
        UnaryOp[] ops = {UnaryOp.RELU, UnaryOp.NEG, UnaryOp.SIGMOID, UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SQUARE, UnaryOp.ABS};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Tensor a : layouts(dtype, 31, 8)) {
                for (UnaryOp op : ops) {
                    Tensor y = Kernels.unary(op, a);
                    double[] expected = new double[a.numel()];
                    for (int i = 0; i < expected.length; i++) {
                        double x = a.get(i / 8, i % 8);
                        expected[i] = dtype == DType.FLOAT32 ? op.apply((float) x) : op.apply(x);
                    }
                    assertBits(y, expected, op + " " + dtype + " stride " + java.util.Arrays.toString(a.stride()));
                }
            }
        }
    }

    @Test
    void sumsMatchTheReferenceInTheSameOrder() {
        int[] shape = {7, 9, 33};
        boolean[][] patterns = {
            {true, true, true}, {true, false, false}, {false, false, true}, {false, true, false},
            {true, true, false}, {false, true, true}, {true, false, true}, {false, false, false},
        };
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Tensor x : layouts(dtype, shape)) {
                for (boolean[] reduce : patterns) {
                    for (boolean mean : new boolean[] {false, true}) {
                        Tensor y = Kernels.sum(x, reduce, false, mean, dtype);
                        List<Integer> kept = new ArrayList<>();
                        List<Integer> red = new ArrayList<>();
                        for (int d = 0; d < 3; d++) {
                            (reduce[d] ? red : kept).add(d);
                        }
                        int nk = 1;
                        for (int d : kept) {
                            nk *= shape[d];
                        }
                        int nr = 1;
                        for (int d : red) {
                            nr *= shape[d];
                        }
                        double[] expected = new double[nk];
                        for (int o = 0; o < nk; o++) {
                            double acc = 0;
                            for (int q = 0; q < nr; q++) {
                                int[] idx = new int[3];
                                int rest = o;
                                for (int i = kept.size() - 1; i >= 0; i--) {
                                    idx[kept.get(i)] = rest % shape[kept.get(i)];
                                    rest /= shape[kept.get(i)];
                                }
                                rest = q;
                                for (int i = red.size() - 1; i >= 0; i--) {
                                    idx[red.get(i)] = rest % shape[red.get(i)];
                                    rest /= shape[red.get(i)];
                                }
                                acc += x.get(idx);
                            }
                            if (mean) {
                                acc = dtype == DType.FLOAT32 ? (float) acc / (float) nr : acc / nr;
                            }
                            expected[o] = round(acc, dtype);
                        }
                        assertBits(y, expected, (mean ? "mean " : "sum ") + java.util.Arrays.toString(reduce) + " " + dtype
                                + " stride " + java.util.Arrays.toString(x.stride()));
                    }
                }
            }
        }
    }

    /**
     * sumTo's row-sum path (a contiguous float32 [r, n] to [n] or [1, n]: bias gradients) against the
     * general path's arithmetic: each column summed in double from +0.0 in row order, rounded once.
     */
    @Test
    void columnSumsOfBiasGradientsMatchTheReference() {
        for (int r : new int[] {1, 2, 7, 64}) {
            for (int n : new int[] {1, 3, 8, 33}) {
                float[] v = new float[r * n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = random.nextInt(6) == 0 ? (random.nextBoolean() ? 0f : -0f) : (float) random.nextGaussian();
                }
                v[0] = -0f;
                if (r > 1) {
                    v[n] = -0f; // column 0 starts with two −0s, summing to +0
                }
                float[] expected = new float[n];
                for (int i = 0; i < n; i++) {
                    double acc = 0.0;
                    for (int q = 0; q < r; q++) {
                        acc += v[q * n + i];
                    }
                    expected[i] = (float) acc;
                }
                Tensor x = Tensor.fromDoubles(toDoubles(v), r, n).to(DType.FLOAT32);
                for (int[] shape : new int[][] {{n}, {1, n}}) {
                    Tensor sum = Kernels.sumTo(x, shape);
                    String what = r + "x" + n + " to " + java.util.Arrays.toString(shape);
                    assertThat(sum.shape()).as(what).containsExactly(shape);
                    assertThat(sum.storage().floats()).as(what + " (bit patterns: +0 is not −0)").isEqualTo(expected);
                }
            }
        }
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    @Test
    void copiesIntoStridedDestinationsAndFills() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor src = randomTensor(dtype, 9, 33);
            Tensor dst = Tensor.empty(dtype, 33, 9).t(); // a transposed destination
            Kernels.copyInto(dst, src);
            assertBits(dst, src.toDoubleArray(), "copy into transposed " + dtype);
            Tensor row = randomTensor(dtype, 33);
            Tensor wide = Tensor.empty(dtype, 9, 40);
            Tensor view = wide.narrow(1, 7, 33);
            Kernels.copyInto(view, row); // broadcast over rows
            for (int i = 0; i < 9; i++) {
                for (int j = 0; j < 40; j++) {
                    double expected = j >= 7 ? row.get(j - 7) : 0.0;
                    assertThat(wide.get(i, j)).as("wide[%d][%d]", i, j).isEqualTo(expected);
                }
            }
            Kernels.fill(view, 2.5);
            assertThat(wide.get(3, 6)).isEqualTo(0.0);
            assertThat(wide.get(3, 7)).isEqualTo(2.5);
            assertThat(wide.get(8, 39)).isEqualTo(2.5);
        }
    }

    @Test
    void fusedReluBackwardEqualsItsComposition() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Tensor y : layouts(dtype, 33, 8)) {
                Tensor g = randomTensor(dtype, 33, 8);
                Tensor fused = Kernels.reluBackward(g, Kernels.unary(UnaryOp.RELU, y));
                Tensor relu = Kernels.unary(UnaryOp.RELU, y);
                Tensor composed = Kernels.maskedFill(g, Kernels.binaryScalar(BinaryOp.LE, relu, 0.0, false, dtype), 0.0);
                assertBits(fused, composed.toDoubleArray(), "relu backward " + dtype);
            }
        }
    }

    @Test
    void fusedAddmmBiasEqualsMmThenAdd() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : new int[][] {{2, 3, 2}, {9, 33, 31}, {64, 100, 257}}) {
                Tensor x = randomTensor(dtype, s[0], s[1]);
                Tensor w = randomTensor(dtype, s[2], s[1]);
                Tensor b = randomTensor(dtype, s[2]);
                Tensor fused = Jgrad.addmm(b, x, w.t());
                Tensor composed = x.mm(w.t()).add(b);
                assertBits(fused, composed.toDoubleArray(), "addmm " + dtype + " " + java.util.Arrays.toString(s));
            }
        }
    }

    @Test
    void fusedBceBackwardEqualsItsComposition() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            int n = 33 * 9;
            double[] xv = new double[n];
            double[] yv = new double[n];
            for (int i = 0; i < n; i++) {
                xv[i] = i % 11 == 0 ? 0.0 : i % 13 == 0 ? 1.0 : random.nextDouble();
                yv[i] = random.nextInt(2);
            }
            Tensor x = Tensor.fromDoubles(xv, 33, 9).to(dtype);
            Tensor y = Tensor.fromDoubles(yv, 9, 33).to(dtype).t(); // a strided target
            Tensor g = Tensor.scalar(0.75, dtype);
            for (int divisor : new int[] {0, n}) {
                Tensor fused = Kernels.bceBackward(g, x, y, 1e-12f, divisor);
                Tensor composed = g.expand(33, 9).mul(x.sub(y)).div(x.rsub(1.0).mul(x).clampMin(1e-12f));
                if (divisor != 0) {
                    composed = composed.div(divisor);
                }
                assertBits(fused, composed.toDoubleArray(), "bce backward " + dtype + " divisor " + divisor);
            }
        }
        assertThat(Kernels.bceBackward(Tensor.scalar(1.0, DType.FLOAT64), Tensor.empty(DType.FLOAT32, 2), Tensor.empty(DType.FLOAT32, 2),
                1e-12, 0)).as("mixed dtypes are left to the composition").isNull();
    }

    @Test
    void reluAndItsBackwardAtSpecialValues() {
        float negNaN = Float.intBitsToFloat(0xffc00000);
        float[] special = {-0.0f, 0.0f, Float.NaN, negNaN, -1f, 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE};
        int n = 40; // past one vector of any width, with a tail
        float[] xv = new float[n];
        float[] gv = new float[n];
        for (int i = 0; i < n; i++) {
            xv[i] = special[i % special.length];
            gv[i] = i + 0.5f;
        }
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.fromFloats(xv, n).to(dtype);
            Tensor g = Tensor.fromFloats(gv, n).to(dtype);
            Tensor y = Kernels.unary(UnaryOp.RELU, x);
            Tensor back = Kernels.reluBackward(g, x); // with the input itself: every special value reaches the select
            double[] expectedY = new double[n];
            double[] expectedBack = new double[n];
            for (int i = 0; i < n; i++) {
                double v = x.get(i);
                expectedY[i] = v <= 0 ? 0.0 : v;
                expectedBack[i] = v <= 0 ? 0.0 : g.get(i);
            }
            assertBits(y, expectedY, "relu " + dtype);
            assertBits(back, expectedBack, "relu backward " + dtype);
        }
        float[] vec = new float[n];
        float[] sca = new float[n];
        OptimKernels.get().reluBackward(n, gv, 0, xv, 0, vec);
        OptimKernels.scalar().reluBackward(n, gv, 0, xv, 0, sca);
        assertThat(vec).isEqualTo(sca);
    }
}
