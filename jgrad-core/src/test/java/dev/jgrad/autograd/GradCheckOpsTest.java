package dev.jgrad.autograd;

import static dev.jgrad.autograd.RandomInputs.Domain.ABOVE_MINUS_ONE;
import static dev.jgrad.autograd.RandomInputs.Domain.ANY;
import static dev.jgrad.autograd.RandomInputs.Domain.AWAY_FROM_ZERO;
import static dev.jgrad.autograd.RandomInputs.Domain.OFF_TENTHS;
import static dev.jgrad.autograd.RandomInputs.Domain.POSITIVE;
import static dev.jgrad.autograd.RandomInputs.Domain.TENTHS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.RandomInputs.Domain;
import dev.jgrad.autograd.RandomInputs.Seeds;
import dev.jgrad.nn.F;
import dev.jgrad.ops.Pointwise;
import dev.jgrad.storage.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * First derivatives of every differentiable tensor op, by finite differences on random shapes
 * (0-d included), broadcasting pairs and non-contiguous inputs; losses are in
 * {@link GradCheckLossesTest}, second derivatives in {@link GradCheckSecondOrderTest}.
 */
class GradCheckOpsTest {
    static void check(Function<Tensor[], Tensor> f, Tensor... in) {
        assertThat(GradCheck.gradcheck(f, in)).isTrue();
    }

    static void checkMulti(GradCheck.MultiFunction f, Tensor... in) {
        assertThat(GradCheck.gradcheckMulti(f, in)).isTrue();
    }

    /** The generator really produces what the checks below rely on: non-contiguous leaves, 0-d and broadcast shapes. */
    @Test
    void randomInputsCoverLayoutsAndShapes() {
        int nonContiguous = 0;
        int zeroDim = 0;
        int broadcast = 0;
        for (long seed = 0; seed < RandomInputs.SEEDS; seed++) {
            RandomInputs r = new RandomInputs(seed);
            for (int i = 0; i < 10; i++) {
                Tensor x = r.leaf(r.shape(0, 3, 3), ANY);
                assertThat(x.isLeaf() && x.requiresGrad() && x.dtype() == DType.FLOAT64).isTrue();
                nonContiguous += x.isContiguous() ? 0 : 1;
                zeroDim += x.dim() == 0 ? 1 : 0;
                int[][] pair = r.broadcastPair(3, 3);
                broadcast += Arrays.equals(pair[0], pair[1]) ? 0 : 1;
            }
        }
        assertThat(nonContiguous).isGreaterThan(5);
        assertThat(zeroDim).isGreaterThan(2);
        assertThat(broadcast).isGreaterThan(10);
    }

    // ------------------------------------------------------------------ pointwise, one input

    /** An op of one tensor, the domain its input is drawn from (away from kinks and poles). */
    record Unary(String name, Domain domain, UnaryOperator<Tensor> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Unary> UNARY = List.of(
            new Unary("neg", ANY, Tensor::neg),
            new Unary("exp", ANY, Tensor::exp),
            new Unary("log", POSITIVE, Tensor::log),
            new Unary("log1p", ABOVE_MINUS_ONE, Tensor::log1p),
            new Unary("sqrt", POSITIVE, Tensor::sqrt),
            new Unary("abs", OFF_TENTHS, Tensor::abs),
            new Unary("sign", OFF_TENTHS, Tensor::sign),
            new Unary("sin", ANY, Tensor::sin),
            new Unary("cos", ANY, Tensor::cos),
            new Unary("tanh", ANY, Tensor::tanh),
            new Unary("sigmoid", ANY, Tensor::sigmoid),
            new Unary("relu", OFF_TENTHS, Tensor::relu),
            new Unary("F.relu", OFF_TENTHS, F::relu),
            new Unary("F.sigmoid", ANY, F::sigmoid),
            new Unary("F.tanh", ANY, F::tanh),
            new Unary("leakyRelu(0.2)", OFF_TENTHS, x -> F.leakyRelu(x, 0.2)),
            new Unary("leakyRelu()", OFF_TENTHS, F::leakyRelu),
            new Unary("gelu(none)", ANY, F::gelu),
            new Unary("gelu(tanh)", ANY, x -> F.gelu(x, "tanh")),
            new Unary("normalCdf", ANY, Pointwise::normalCdf),
            new Unary("normalPdf", ANY, Pointwise::normalPdf),
            new Unary("clamp(-0.5, 0.7)", OFF_TENTHS, x -> x.clamp(-0.5, 0.7)),
            new Unary("clamp(NaN, 0.3)", OFF_TENTHS, x -> x.clamp(Double.NaN, 0.3)),
            new Unary("clampMin(-0.2)", OFF_TENTHS, x -> x.clampMin(-0.2)),
            new Unary("clampMax(0.3)", OFF_TENTHS, x -> x.clampMax(0.3)),
            new Unary("add(1.5)", ANY, x -> x.add(1.5)),
            new Unary("sub(0.7)", ANY, x -> x.sub(0.7)),
            new Unary("rsub(2.5)", ANY, x -> x.rsub(2.5)),
            new Unary("mul(-1.7)", ANY, x -> x.mul(-1.7)),
            new Unary("div(0.3)", ANY, x -> x.div(0.3)),
            new Unary("rdiv(1.3)", AWAY_FROM_ZERO, x -> x.rdiv(1.3)),
            new Unary("pow(2)", ANY, x -> x.pow(2.0)),
            new Unary("pow(3)", ANY, x -> x.pow(3.0)),
            new Unary("pow(-2)", AWAY_FROM_ZERO, x -> x.pow(-2.0)),
            new Unary("pow(0.5)", POSITIVE, x -> x.pow(0.5)),
            new Unary("pow(-1.5)", POSITIVE, x -> x.pow(-1.5)),
            new Unary("pow(0)", ANY, x -> x.pow(0.0)),
            new Unary("rpow(2.5)", ANY, x -> x.rpow(2.5)),
            new Unary("rpow(0.5)", ANY, x -> x.rpow(0.5)),
            new Unary("contiguous", ANY, Tensor::contiguous),
            new Unary("clone", ANY, Tensor::clone),
            new Unary("to(float64)", ANY, x -> x.to(DType.FLOAT64)),
            new Unary("dropout(0.4)", ANY, x -> F.dropout(x, 0.4, true, new Generator(7))));

    static Stream<Arguments> unaryCases() {
        return UNARY.stream().flatMap(u -> RandomInputs.seeds().mapToObj(s -> Arguments.of(u, s)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("unaryCases")
    void unary(Unary op, long seed) {
        RandomInputs r = new RandomInputs(seed);
        Tensor x = r.leaf(r.shape(0, 3, 3), op.domain());
        check(in -> op.f().apply(in[0]), x);
    }

    /** to(float32) cannot be finite-differenced in float64; its gradient is the identity cast back. */
    @Test
    void toFloat32PassesTheGradientBackAsFloat64() {
        Tensor x = Tensor.fromDoubles(new double[] {0.5, -1.25, 3.0}, 3).requiresGrad_();
        Tensor w = Tensor.fromFloats(new float[] {2f, -1f, 0.5f}, 3);
        x.to(DType.FLOAT32).mul(w).sum().backward();
        assertThat(x.grad().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(x.grad().toDoubleArray()).containsExactly(2.0, -1.0, 0.5);
    }

    // ------------------------------------------------------------------ pointwise, two inputs

    /** An op of two broadcasting tensors and the domains of its operands. */
    record Binary(String name, Domain a, Domain b, BinaryOperator<Tensor> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Binary> BINARY = List.of(
            new Binary("add", ANY, ANY, Tensor::add),
            new Binary("add(alpha 2.5)", ANY, ANY, (a, b) -> a.add(b, 2.5)),
            new Binary("sub", ANY, ANY, Tensor::sub),
            new Binary("sub(alpha -0.5)", ANY, ANY, (a, b) -> a.sub(b, -0.5)),
            new Binary("mul", ANY, ANY, Tensor::mul),
            new Binary("div", ANY, AWAY_FROM_ZERO, Tensor::div),
            new Binary("pow", POSITIVE, ANY, Tensor::pow),
            new Binary("maximum", OFF_TENTHS, TENTHS, Tensor::maximum),
            new Binary("minimum", TENTHS, OFF_TENTHS, Tensor::minimum),
            new Binary("Jgrad.maximum", TENTHS, OFF_TENTHS, Jgrad::maximum),
            new Binary("Jgrad.minimum", OFF_TENTHS, TENTHS, Jgrad::minimum));

    static Stream<Arguments> binaryCases() {
        return BINARY.stream().flatMap(b -> RandomInputs.seeds().mapToObj(s -> Arguments.of(b, s)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("binaryCases")
    void binaryBroadcasting(Binary op, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[][] shapes = r.broadcastPair(3, 3);
        Tensor a = r.leaf(shapes[0], op.a());
        Tensor b = r.leaf(shapes[1], op.b());
        check(in -> op.f().apply(in[0], in[1]), a, b);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("binaryCases")
    void binaryWithExpandedAndTransposedOperands(Binary op, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int n = r.nextInt(1, 3);
        int m = r.nextInt(2, 3);
        Tensor a = r.leaf(new int[] {m, 1}, op.a());
        Tensor b = r.leaf(new int[] {n, m}, op.b());
        // [m, 1] expanded to [m, n] against [n, m] transposed: both non-contiguous views
        check(in -> op.f().apply(in[0].expand(m, n), in[1].t()), a, b);
        // the same tensor on both sides
        Tensor c = r.leaf(new int[] {m}, op.a() == POSITIVE ? POSITIVE : op.b() == AWAY_FROM_ZERO ? AWAY_FROM_ZERO : ANY);
        if (op.a() != TENTHS && op.b() != TENTHS) {
            check(in -> op.f().apply(in[0], in[0]), c);
        }
    }

    @Seeds
    void where(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[][] shapes = r.broadcastPair(3, 3);
        int[] out = Shapes.broadcast(shapes[0], shapes[1], "test");
        int[] condShape = out.clone();
        for (int d = 0; d < condShape.length; d++) {
            if (r.coin()) {
                condShape[d] = 1;
            }
        }
        Tensor cond = r.mask(condShape);
        Tensor a = r.leaf(shapes[0], ANY);
        Tensor b = r.leaf(shapes[1], ANY);
        check(in -> Jgrad.where(in[2], in[0], in[1]), a, b, cond);
        check(in -> Tensor.where(in[2], in[0].exp(), in[1].mul(in[0])), a, b, cond);
    }

    @Seeds
    void maskedFill(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 3);
        int[] maskShape = Arrays.copyOfRange(shape, r.nextInt(0, shape.length), shape.length);
        for (int d = 0; d < maskShape.length; d++) {
            if (r.coin()) {
                maskShape[d] = 1;
            }
        }
        Tensor x = r.leaf(shape, ANY);
        Tensor mask = r.mask(maskShape);
        check(in -> in[0].maskedFill(in[1], -0.75), x, mask);
    }

    /** In-place ops on non-leaf tensors: the graph is rebased onto the modified tensor. */
    @Seeds
    void inPlaceOps(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[][] shapes = r.broadcastPair(3, 3);
        int[] out = Shapes.broadcast(shapes[0], shapes[1], "test");
        Tensor a = r.leaf(out, OFF_TENTHS);
        Tensor b = r.leaf(shapes[1], AWAY_FROM_ZERO);
        check(in -> in[0].mul(1.0).add_(in[1]), a, b);
        check(in -> in[0].mul(1.0).add_(in[1], -1.5), a, b);
        check(in -> in[0].mul(1.0).sub_(in[1]), a, b);
        check(in -> in[0].sin().mul_(in[1]), a, b);
        check(in -> in[0].sin().div_(in[1]), a, b);
        check(in -> in[0].mul(1.0).add_(0.5).sub_(1.25).mul_(-2.0).div_(3.0), a);
        check(in -> in[0].mul(1.0).clamp_(-0.5, 0.5), a);
        check(in -> in[0].sin().copy_(in[1].sin()), a, b);
        check(in -> {
            Tensor t = in[0].sin();
            t.mul_(in[1]);
            t.add_(in[0]);
            return t.mul(t);
        }, a, b);
    }

    // ------------------------------------------------------------------ reductions

    @Seeds
    void sumAndMean(long seed) {
        RandomInputs r = new RandomInputs(seed);
        Tensor x = r.leaf(r.shape(0, 3, 3), ANY);
        check(in -> in[0].sum(), x);
        check(in -> in[0].mean(), x);
        if (x.dim() > 0) {
            int[] dims = r.dims(x.dim());
            boolean keepdim = r.coin();
            int dim = r.dim(x.dim());
            check(in -> in[0].sum(dims, keepdim), x);
            check(in -> in[0].mean(dims, keepdim), x);
            check(in -> in[0].sum(dim), x);
            check(in -> in[0].mean(dim), x);
            check(in -> in[0].sum(dim, !keepdim), x);
            check(in -> in[0].mean(dim, !keepdim), x);
        }
    }

    @Seeds
    void sumToSize(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[][] shapes = r.broadcastPair(3, 3);
        int[] big = Shapes.broadcast(shapes[0], shapes[1], "test");
        Tensor x = r.leaf(big, ANY);
        check(in -> in[0].sumToSize(shapes[0]), x);
        check(in -> in[0].sumToSize(shapes[1]), x);
    }

    @Seeds
    void maxAndMinOfAllElements(long seed) {
        RandomInputs r = new RandomInputs(seed);
        Tensor x = r.distinctLeaf(r.shape(0, 3, 3));
        check(in -> in[0].max(), x);
        check(in -> in[0].min(), x);
    }

    @Seeds
    void maxAndMinOverADim(long seed) {
        RandomInputs r = new RandomInputs(seed);
        Tensor x = r.distinctLeaf(r.shape(1, 3, 3));
        int dim = r.dim(x.dim());
        boolean keepdim = r.coin();
        checkMulti(in -> {
            Tensor.ValuesIndices max = in[0].max(dim, keepdim);
            return new Tensor[] {max.values(), max.indices()};
        }, x);
        check(in -> in[0].min(dim, keepdim).values(), x);
        check(in -> in[0].max(dim).values(), x);
        check(in -> in[0].min(dim).values(), x);
    }

    @Seeds
    void logsumexp(long seed) {
        RandomInputs r = new RandomInputs(seed);
        Tensor x = r.leaf(r.shape(1, 3, 3), ANY);
        int[] dims = r.dims(x.dim());
        boolean keepdim = r.coin();
        int dim = r.dim(x.dim());
        check(in -> in[0].logsumexp(dims, keepdim), x);
        check(in -> in[0].logsumexp(dim, !keepdim), x);
    }

    @Seeds
    void softmaxAndLogSoftmax(long seed) {
        RandomInputs r = new RandomInputs(seed);
        Tensor x = r.leaf(r.shape(1, 3, 3), ANY);
        int dim = r.dim(x.dim());
        check(in -> in[0].softmax(dim), x);
        check(in -> in[0].logSoftmax(dim), x);
        check(in -> F.softmax(in[0], dim), x);
        check(in -> F.logSoftmax(in[0], dim), x);
    }

    // ------------------------------------------------------------------ linear algebra

    static Stream<Arguments> matmulModes() {
        // shapes as {a, b} with symbolic sizes: n, m, p and batch sizes are drawn per seed
        String[] modes = {"1D@1D", "2D@1D", "1D@2D", "2D@2D", "3D@3D", "3D@2D", "1D@3D", "3D@1D", "4D@3D broadcast",
                          "2D@3D", "4D@4D broadcast"};
        return Arrays.stream(modes).flatMap(m -> RandomInputs.seeds().mapToObj(s -> Arguments.of(m, s)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("matmulModes")
    void matmul(String mode, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int n = r.nextInt(1, 3);
        int m = r.nextInt(1, 3);
        int p = r.nextInt(1, 3);
        int b = r.nextInt(1, 2);
        int[][] shapes;
        switch (mode) {
            case "1D@1D": shapes = new int[][] {{m}, {m}}; break;
            case "2D@1D": shapes = new int[][] {{n, m}, {m}}; break;
            case "1D@2D": shapes = new int[][] {{m}, {m, p}}; break;
            case "2D@2D": shapes = new int[][] {{n, m}, {m, p}}; break;
            case "3D@3D": shapes = new int[][] {{b, n, m}, {b, m, p}}; break;
            case "3D@2D": shapes = new int[][] {{b, n, m}, {m, p}}; break;
            case "1D@3D": shapes = new int[][] {{m}, {b, m, p}}; break;
            case "3D@1D": shapes = new int[][] {{b, n, m}, {m}}; break;
            case "4D@3D broadcast": shapes = new int[][] {{2, 1, n, m}, {b, m, p}}; break;
            case "2D@3D": shapes = new int[][] {{n, m}, {b, m, p}}; break;
            default: shapes = new int[][] {{1, b, n, m}, {2, 1, m, p}}; break;
        }
        Tensor x = r.leaf(shapes[0], ANY);
        Tensor y = r.leaf(shapes[1], ANY);
        check(in -> in[0].matmul(in[1]), x, y);
        check(in -> Jgrad.matmul(in[0], in[1]), x, y);
    }

    @Seeds
    void mmAndBmm(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int b = r.nextInt(1, 3);
        int n = r.nextInt(1, 3);
        int m = r.nextInt(1, 3);
        int p = r.nextInt(1, 3);
        check(in -> in[0].mm(in[1]), r.leaf(new int[] {n, m}, ANY), r.leaf(new int[] {m, p}, ANY));
        check(in -> in[0].bmm(in[1]), r.leaf(new int[] {b, n, m}, ANY), r.leaf(new int[] {b, m, p}, ANY));
        // a transposed operand inside the function
        check(in -> in[0].mm(in[1].t()), r.leaf(new int[] {n, m}, ANY), r.leaf(new int[] {p, m}, ANY));
    }

    @Seeds
    void addmm(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int n = r.nextInt(1, 3);
        int m = r.nextInt(1, 3);
        int p = r.nextInt(1, 3);
        int[][] cShapes = {{n, p}, {p}, {1, p}, {n, 1}, {}};
        int[] cShape = cShapes[r.nextInt(0, cShapes.length - 1)];
        double beta = r.coin() ? 1.0 : r.uniform(-2, 2);
        double alpha = r.coin() ? 1.0 : r.uniform(-2, 2);
        Tensor c = r.leaf(cShape, ANY);
        Tensor a = r.leaf(new int[] {n, m}, ANY);
        Tensor b = r.leaf(new int[] {m, p}, ANY);
        check(in -> Jgrad.addmm(in[0], in[1], in[2], beta, alpha), c, a, b);
        check(in -> Jgrad.addmm(in[0], in[1], in[2]), c, a, b);
    }

    @Seeds
    void linear(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int in = r.nextInt(1, 3);
        int out = r.nextInt(1, 3);
        int[] xShape = r.shape(0, 2, 3);
        xShape = Arrays.copyOf(xShape, xShape.length + 1);
        xShape[xShape.length - 1] = in;
        Tensor x = r.leaf(xShape, ANY);
        Tensor w = r.leaf(new int[] {out, in}, ANY);
        Tensor b = r.leaf(new int[] {out}, ANY);
        check(t -> F.linear(t[0], t[1], t[2]), x, w, b);
        check(t -> F.linear(t[0], t[1], null), x, w);
    }

    // ------------------------------------------------------------------ views and copies

    @Seeds
    void viewReshapeFlatten(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 3);
        int n = Shapes.numel(shape);
        Tensor contiguous = r.contiguousLeaf(shape, ANY);
        Tensor any = r.leaf(shape, ANY);
        check(in -> in[0].view(-1), contiguous);
        check(in -> in[0].view(1, n, 1), contiguous);
        check(in -> in[0].reshape(n), any);
        check(in -> in[0].reshape(-1, 1), any);
        check(in -> in[0].flatten(), any);
        int s = r.nextInt(0, shape.length - 1);
        int e = r.nextInt(s, shape.length - 1);
        check(in -> in[0].flatten(s, e), any);
        check(in -> in[0].flatten(), r.leaf(new int[0], ANY));
    }

    /** Regression: a 0-d tensor could not be viewed as [1] or [1, 1], so squeeze() of [1, 1] had no backward. */
    @Test
    void zeroDimensionalTensorsViewAsOneElementShapes() {
        Tensor scalar = Tensor.scalar(0.75, DType.FLOAT64).requiresGrad_();
        check(in -> in[0].view(1, 1), scalar);
        check(in -> in[0].reshape(1), scalar);
        check(in -> in[0].flatten(), scalar);
        check(in -> in[0].squeeze(), Tensor.fromDoubles(new double[] {0.5}, 1, 1).requiresGrad_());
        check(in -> in[0].sumToSize(1, 1), scalar);
    }

    @Seeds
    void squeezeUnsqueeze(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 3);
        int one = r.nextInt(0, shape.length - 1);
        shape[one] = 1;
        Tensor x = r.leaf(shape, ANY);
        check(in -> in[0].squeeze(), x);
        check(in -> in[0].squeeze(one), x);
        int anyDim = r.dim(shape.length);
        check(in -> in[0].squeeze(anyDim), x);
        int u = r.nextInt(-shape.length - 1, shape.length);
        check(in -> in[0].unsqueeze(u), x);
    }

    @Seeds
    void transposePermuteT(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(2, 4, 3);
        Tensor x = r.leaf(shape, ANY);
        int d0 = r.dim(shape.length);
        int d1 = r.dim(shape.length);
        check(in -> in[0].transpose(d0, d1), x);
        int[] perm = r.permutation(shape.length);
        check(in -> in[0].permute(perm), x);
        check(in -> in[0].t(), r.leaf(new int[] {shape[0], shape[1]}, ANY));
        check(in -> in[0].t(), r.leaf(new int[] {shape[0]}, ANY));
        check(in -> in[0].t(), r.leaf(new int[0], ANY));
    }

    @Seeds
    void expand(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(0, 3, 3);
        int[] sizes = new int[shape.length + r.nextInt(0, 2)];
        int lead = sizes.length - shape.length;
        for (int d = 0; d < sizes.length; d++) {
            sizes[d] = d < lead ? r.nextInt(1, 3) : r.coin() ? -1 : shape[d - lead];
        }
        for (int d = 0; d < shape.length; d++) {
            if (r.coin()) {
                shape[d] = 1;
                sizes[d + lead] = r.nextInt(1, 3);
            }
        }
        Tensor x = r.leaf(shape, ANY);
        check(in -> in[0].expand(sizes), x);
        Tensor target = Tensor.zeros(DType.FLOAT64, resolved(sizes, shape));
        check(in -> in[0].expandAs(target).mul(in[1]), x, r.leaf(target.shape(), ANY));
    }

    private static int[] resolved(int[] sizes, int[] shape) {
        int[] s = sizes.clone();
        int lead = sizes.length - shape.length;
        for (int d = 0; d < s.length; d++) {
            if (s[d] == -1) {
                s[d] = shape[d - lead];
            }
        }
        return s;
    }

    @Seeds
    void narrowAndSelect(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 4);
        Tensor x = r.leaf(shape, ANY);
        int dim = r.dim(shape.length);
        int size = shape[dim < 0 ? dim + shape.length : dim];
        int start = r.nextInt(0, size - 1);
        int length = r.nextInt(0, size - start);
        check(in -> in[0].narrow(dim, start, length), x);
        check(in -> in[0].narrow(dim, start - size, size - start), x);
        int index = r.nextInt(-size, size - 1);
        check(in -> in[0].select(dim, index), x);
    }

    // ------------------------------------------------------------------ joining, splitting, indexing

    @Seeds
    void catAndStack(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 3);
        int dim = r.dim(shape.length);
        int k = r.nextInt(1, 3);
        Tensor[] parts = new Tensor[k];
        for (int i = 0; i < k; i++) {
            int[] s = shape.clone();
            s[dim < 0 ? dim + s.length : dim] = r.nextInt(1, 3);
            parts[i] = r.leaf(s, ANY);
        }
        check(in -> Jgrad.cat(List.of(in), dim), parts);
        if (dim == 0 || dim == -shape.length) {
            check(in -> Jgrad.cat(List.of(in)), parts);
        }
        Tensor[] same = new Tensor[k];
        for (int i = 0; i < k; i++) {
            same[i] = r.leaf(shape, ANY);
        }
        int sdim = r.nextInt(-shape.length - 1, shape.length);
        check(in -> Jgrad.stack(List.of(in), sdim), same);
        check(in -> Jgrad.stack(List.of(in)), same);
        // the same tensor twice: its gradient is the sum of both slices
        check(in -> Jgrad.cat(List.of(in[0], in[0].exp()), dim), parts[0]);
    }

    @Seeds
    void splitAndChunk(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 4);
        int dim = r.dim(shape.length);
        int size = shape[dim < 0 ? dim + shape.length : dim];
        Tensor x = r.leaf(shape, ANY);
        int splitSize = r.nextInt(1, size);
        checkMulti(in -> in[0].split(splitSize, dim).toArray(new Tensor[0]), x);
        List<Integer> sizes = new ArrayList<>();
        for (int left = size; left > 0; ) {
            int s = r.nextInt(0, left);
            sizes.add(s);
            left -= s;
        }
        int[] sz = sizes.stream().mapToInt(Integer::intValue).toArray();
        checkMulti(in -> in[0].split(sz, dim).toArray(new Tensor[0]), x);
        int chunks = r.nextInt(1, size + 1);
        checkMulti(in -> in[0].chunk(chunks, dim).toArray(new Tensor[0]), x);
        // only some pieces used, and a nonlinear function of them
        check(in -> in[0].chunk(chunks, dim).get(0).exp().sum(), x);
    }

    @Seeds
    void indexSelect(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 3);
        int dim = r.dim(shape.length);
        int size = shape[dim < 0 ? dim + shape.length : dim];
        Tensor x = r.leaf(shape, ANY);
        Tensor index = r.index(new int[] {r.nextInt(1, 5)}, size);
        check(in -> in[0].indexSelect(dim, in[1]), x, index);
        check(in -> in[0].indexSelect(dim, in[1]), x, r.index(new int[0], size));
    }

    @Seeds
    void gather(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 3);
        int dim = r.dim(shape.length);
        int d = dim < 0 ? dim + shape.length : dim;
        int[] indexShape = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            indexShape[i] = i == d ? r.nextInt(1, 4) : r.nextInt(1, shape[i]);
        }
        Tensor x = r.leaf(shape, ANY);
        check(in -> in[0].gather(dim, in[1]), x, r.index(indexShape, shape[d]));
    }
}
