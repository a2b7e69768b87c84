package dev.jgrad.autograd;

import static dev.jgrad.autograd.RandomInputs.Domain.ANY;
import static dev.jgrad.autograd.RandomInputs.Domain.OFF_TENTHS;
import static dev.jgrad.autograd.RandomInputs.Domain.TENTHS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.GradCheckOpsTest.Binary;
import dev.jgrad.autograd.GradCheckOpsTest.Unary;
import dev.jgrad.autograd.RandomInputs.Seeds;
import dev.jgrad.nn.F;
import java.util.List;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Second derivatives by gradgradcheck: the backward formulas, recorded with createGraph, are
 * differentiated again with respect to the inputs and the grad_outputs. Shapes are kept smaller
 * than in the first-order tests, as each check runs a backward pass per perturbation.
 */
class GradCheckSecondOrderTest {
    static void check(Function<Tensor[], Tensor> f, Tensor... in) {
        assertThat(GradCheck.gradgradcheck(f, in)).isTrue();
    }

    static LongStream fewSeeds() {
        return LongStream.range(0, 2);
    }

    static Stream<Arguments> unaryCases() {
        return GradCheckOpsTest.UNARY.stream().flatMap(u -> fewSeeds().mapToObj(s -> Arguments.of(u, s)));
    }

    /** Every element-wise op of one input: exp, log, sqrt, tanh, sigmoid, gelu, pow, rpow and the rest. */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("unaryCases")
    void unary(Unary op, long seed) {
        RandomInputs r = new RandomInputs(seed);
        Tensor x = r.leaf(r.shape(0, 2, 3), op.domain());
        check(in -> op.f().apply(in[0]), x);
    }

    static Stream<Arguments> binaryCases() {
        return GradCheckOpsTest.BINARY.stream().flatMap(b -> fewSeeds().mapToObj(s -> Arguments.of(b, s)));
    }

    /** mul, div, pow(tensor, tensor), add/sub with alpha, maximum/minimum, with broadcasting. */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("binaryCases")
    void binaryBroadcasting(Binary op, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[][] shapes = r.broadcastPair(2, 3);
        check(in -> op.f().apply(in[0], in[1]), r.leaf(shapes[0], op.a()), r.leaf(shapes[1], op.b()));
    }

    @Seeds
    void whereAndMaskedFill(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 2, 3);
        Tensor mask = r.mask(shape);
        check(in -> Jgrad.where(in[2], in[0].mul(in[1]), in[1].exp()), r.leaf(shape, ANY), r.leaf(shape, ANY), mask);
        check(in -> in[0].mul(in[0]).maskedFill(in[1], 0.5), r.leaf(shape, ANY), mask);
    }

    @Seeds
    void inPlaceOps(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 2, 3);
        check(in -> {
            Tensor t = in[0].sin();
            t.mul_(in[1]);
            t.div_(in[1].exp());
            t.add_(in[0], 0.5);
            return t.mul(t);
        }, r.leaf(shape, ANY), r.leaf(shape, ANY));
    }

    @Seeds
    void softmaxLogSoftmaxLogsumexp(long seed) {
        RandomInputs r = new RandomInputs(seed);
        Tensor x = r.leaf(r.shape(1, 2, 3), ANY);
        int dim = r.dim(x.dim());
        boolean keepdim = r.coin();
        check(in -> in[0].softmax(dim), x);
        check(in -> in[0].logSoftmax(dim), x);
        check(in -> in[0].logsumexp(dim, keepdim), x);
        int[] dims = r.dims(x.dim());
        check(in -> in[0].logsumexp(dims, keepdim), x);
    }

    @Seeds
    void reductions(long seed) {
        RandomInputs r = new RandomInputs(seed);
        Tensor x = r.leaf(r.shape(1, 2, 3), ANY);
        int[] dims = r.dims(x.dim());
        boolean keepdim = r.coin();
        // squared so that the second derivative is not zero
        check(in -> in[0].mul(in[0]).sum(dims, keepdim), x);
        check(in -> in[0].mul(in[0]).mean(dims, keepdim), x);
        check(in -> in[0].exp().mean(), x);
        Tensor distinct = r.distinctLeaf(r.shape(1, 2, 3));
        int dim = r.dim(distinct.dim());
        check(in -> in[0].mul(in[0]).max(dim, keepdim).values(), distinct);
        check(in -> in[0].exp().min(), distinct);
    }

    static Stream<Arguments> matmulModes() {
        return GradCheckOpsTest.matmulModes().filter(a -> ((Long) a.get()[1]) < 2);
    }

    /** matmul in every mode; second derivatives are bilinear cross terms between the operands. */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("matmulModes")
    void matmul(String mode, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int n = r.nextInt(1, 2);
        int m = r.nextInt(1, 3);
        int p = r.nextInt(1, 2);
        int[][] shapes;
        switch (mode) {
            case "1D@1D": shapes = new int[][] {{m}, {m}}; break;
            case "2D@1D": shapes = new int[][] {{n, m}, {m}}; break;
            case "1D@2D": shapes = new int[][] {{m}, {m, p}}; break;
            case "2D@2D": shapes = new int[][] {{n, m}, {m, p}}; break;
            case "3D@3D": shapes = new int[][] {{2, n, m}, {2, m, p}}; break;
            case "3D@2D": shapes = new int[][] {{2, n, m}, {m, p}}; break;
            case "1D@3D": shapes = new int[][] {{m}, {2, m, p}}; break;
            case "3D@1D": shapes = new int[][] {{2, n, m}, {m}}; break;
            case "4D@3D broadcast": shapes = new int[][] {{2, 1, n, m}, {1, m, p}}; break;
            case "2D@3D": shapes = new int[][] {{n, m}, {2, m, p}}; break;
            default: shapes = new int[][] {{1, 2, n, m}, {2, 1, m, p}}; break;
        }
        check(in -> in[0].matmul(in[1]), r.leaf(shapes[0], ANY), r.leaf(shapes[1], ANY));
    }

    @Seeds
    void mmBmmAddmmLinear(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int n = r.nextInt(1, 2);
        int m = r.nextInt(1, 3);
        int p = r.nextInt(1, 2);
        check(in -> in[0].mm(in[1]), r.leaf(new int[] {n, m}, ANY), r.leaf(new int[] {m, p}, ANY));
        check(in -> in[0].bmm(in[1]), r.leaf(new int[] {2, n, m}, ANY), r.leaf(new int[] {2, m, p}, ANY));
        double beta = r.uniform(-2, 2);
        double alpha = r.uniform(-2, 2);
        Tensor c = r.leaf(r.coin() ? new int[] {n, p} : new int[] {p}, ANY);
        Tensor a = r.leaf(new int[] {n, m}, ANY);
        Tensor b = r.leaf(new int[] {m, p}, ANY);
        check(in -> Jgrad.addmm(in[0], in[1], in[2], beta, alpha), c, a, b);
        check(in -> Jgrad.addmm(in[0], in[1], in[2]), c, a, b);
        // linear followed by a nonlinearity, as in a layer
        check(in -> F.linear(in[0], in[1], in[2]).tanh(), a, r.leaf(new int[] {p, m}, ANY), r.leaf(new int[] {p}, ANY));
    }

    @Seeds
    void viewsJoiningIndexing(long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(2, 3, 2);
        Tensor x = r.leaf(shape, ANY);
        int dim = r.dim(shape.length);
        int d = dim < 0 ? dim + shape.length : dim;
        int[] perm = r.permutation(shape.length);
        // each view followed by a nonlinearity, so that the second derivative goes back through the view's backward
        check(in -> in[0].permute(perm).reshape(-1).pow(2.0), x);
        check(in -> in[0].transpose(0, 1).contiguous().view(-1).exp(), x);
        check(in -> in[0].narrow(dim, 0, 1).mul(in[0].select(dim, shape[d] - 1).unsqueeze(d)), x);
        int[] ex = new int[shape.length + 1];
        ex[0] = 2;
        System.arraycopy(shape, 0, ex, 1, shape.length);
        check(in -> in[0].unsqueeze(0).expand(ex).mul(in[0]).flatten().squeeze(), x);
        check(in -> Jgrad.cat(List.of(in[0], in[0].mul(in[0])), dim).exp(), x);
        check(in -> Jgrad.stack(List.of(in[0], in[0].sin()), dim).pow(2.0), x);
        Tensor index = r.index(new int[] {3}, shape[d]);
        check(in -> in[0].indexSelect(dim, in[1]).pow(2.0), x, index);
        check(in -> in[0].gather(dim, in[1]).exp(), x, r.index(shape, shape[d]));
        check(in -> in[0].chunk(2, dim).get(0).mul(in[0].split(1, dim).get(0)), x);
    }

    // ------------------------------------------------------------------ losses

    static Stream<Arguments> reductions() {
        return Stream.of("mean", "sum", "none").flatMap(red -> fewSeeds().mapToObj(s -> Arguments.of(red, s)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("reductions")
    void mseAndL1(String reduction, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 2, 3);
        check(in -> F.mseLoss(in[0], in[1], reduction), r.leaf(shape, ANY), r.leaf(shape, ANY));
        check(in -> F.l1Loss(in[0], in[1], reduction), r.leaf(shape, OFF_TENTHS), r.leaf(shape, TENTHS));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("reductions")
    void binaryCrossEntropy(String reduction, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 2, 3);
        Tensor p = r.leaf(shape, () -> r.uniform(0.1, 0.9));
        Tensor y = r.leaf(shape, () -> r.uniform(0, 1));
        Tensor w = r.coin() ? null : r.constant(shape, () -> r.uniform(0.2, 2));
        check(in -> F.binaryCrossEntropy(in[0], in[1], w, reduction), p, y);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("reductions")
    void binaryCrossEntropyWithLogits(String reduction, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 2, 3);
        Tensor x = r.leaf(shape, () -> r.uniform(-3, 3));
        Tensor y = r.leaf(shape, () -> r.uniform(0, 1));
        Tensor w = r.constant(new int[] {shape[shape.length - 1]}, () -> r.uniform(0.2, 2));
        Tensor pos = r.constant(new int[] {shape[shape.length - 1]}, () -> r.uniform(0.2, 3));
        check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], null, null, reduction), x, y);
        check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], w, pos, reduction), x, y);
    }

    static Stream<Arguments> classificationCases() {
        return reductions().flatMap(a -> Stream.of(true, false).map(w -> Arguments.of(a.get()[0], w, a.get()[1])));
    }

    @ParameterizedTest(name = "{0} weighted {1} seed {2}")
    @MethodSource("classificationCases")
    void crossEntropyAndNllLoss(String reduction, boolean weighted, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int n = r.nextInt(1, 3);
        int c = r.nextInt(2, 3);
        int ignoreIndex = r.coin() ? -100 : r.nextInt(0, c - 1);
        double smoothing = r.coin() ? 0.0 : r.uniform(0.05, 0.5);
        Tensor x = r.leaf(new int[] {n, c}, ANY);
        Tensor t = GradCheckLossesTest.targets(r, n, c, false, ignoreIndex);
        Tensor w = weighted ? r.constant(new int[] {c}, () -> r.uniform(0.2, 2)) : null;
        check(in -> F.crossEntropy(in[0], in[1], w, ignoreIndex, reduction, smoothing), x, t);
        check(in -> F.crossEntropy(in[0], in[1], w, ignoreIndex, reduction, 0.25), x, t);
        check(in -> F.nllLoss(in[0].mul(in[0]), in[1], w, ignoreIndex, reduction), x, t);
        Tensor x1 = r.leaf(new int[] {c}, ANY);
        check(in -> F.crossEntropy(in[0], in[1], w, -100, reduction, smoothing), x1,
                GradCheckLossesTest.targets(r, 1, c, true, -100));
    }
}
