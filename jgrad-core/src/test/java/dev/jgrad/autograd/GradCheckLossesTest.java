package dev.jgrad.autograd;

import static dev.jgrad.autograd.RandomInputs.Domain.ANY;
import static dev.jgrad.autograd.RandomInputs.Domain.OFF_TENTHS;
import static dev.jgrad.autograd.RandomInputs.Domain.TENTHS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Tensor;
import dev.jgrad.nn.F;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** First derivatives of every loss in {@link F}, with respect to the input and, where defined, the target. */
class GradCheckLossesTest {
    static void check(Function<Tensor[], Tensor> f, Tensor... in) {
        assertThat(GradCheck.gradcheck(f, in)).isTrue();
    }

    static Stream<Arguments> reductions() {
        return Stream.of("mean", "sum", "none").flatMap(red -> RandomInputs.seeds().mapToObj(s -> Arguments.of(red, s)));
    }

    /** A weight of the input's shape, of its last dimension, or none. */
    static Tensor weight(RandomInputs r, int[] shape) {
        switch (r.nextInt(0, 2)) {
            case 0: return null;
            case 1: return r.constant(shape, () -> r.uniform(0.2, 2));
            default: return r.constant(new int[] {shape[shape.length - 1]}, () -> r.uniform(0.2, 2));
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("reductions")
    void binaryCrossEntropy(String reduction, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 3);
        Tensor p = r.leaf(shape, () -> r.uniform(0.05, 0.95));
        Tensor y = r.leaf(shape, () -> r.uniform(0, 1));
        Tensor w = weight(r, shape);
        check(in -> F.binaryCrossEntropy(in[0], in[1], w, reduction), p, y);
        // hard 0/1 targets that are constants
        Tensor hard = r.constant(shape, () -> r.coin() ? 1 : 0);
        check(in -> F.binaryCrossEntropy(in[0], in[1], w, reduction), p, hard);
        if ("mean".equals(reduction)) {
            check(in -> F.binaryCrossEntropy(in[0], in[1]), p, y);
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("reductions")
    void binaryCrossEntropyWithLogits(String reduction, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(1, 3, 3);
        Tensor x = r.leaf(shape, () -> r.uniform(-4, 4));
        Tensor y = r.leaf(shape, () -> r.uniform(0, 1));
        Tensor w = weight(r, shape);
        Tensor pos = r.constant(new int[] {shape[shape.length - 1]}, () -> r.uniform(0.2, 3));
        check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], null, null, reduction), x, y);
        check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], w, null, reduction), x, y);
        check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], w, pos, reduction), x, y);
        check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1], null, pos, reduction), x, y);
        if ("mean".equals(reduction)) {
            check(in -> F.binaryCrossEntropyWithLogits(in[0], in[1]), x, y);
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("reductions")
    void mseAndL1(String reduction, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int[] shape = r.shape(0, 3, 3);
        check(in -> F.mseLoss(in[0], in[1], reduction), r.leaf(shape, ANY), r.leaf(shape, ANY));
        // input and target never equal: |x − y| is differentiable
        check(in -> F.l1Loss(in[0], in[1], reduction), r.leaf(shape, OFF_TENTHS), r.leaf(shape, TENTHS));
        if ("mean".equals(reduction)) {
            check(in -> F.mseLoss(in[0], in[1]), r.leaf(shape, ANY), r.leaf(shape, ANY));
            check(in -> F.l1Loss(in[0], in[1]), r.leaf(shape, OFF_TENTHS), r.leaf(shape, TENTHS));
        }
    }

    /** Class-index targets: [n] (or [] when {@code single}), some equal to {@code ignoreIndex}, never all of them. */
    static Tensor targets(RandomInputs r, int n, int classes, boolean single, int ignoreIndex) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.random.nextInt(classes);
            if (i > 0 && r.random.nextInt(3) == 0) {
                t[i] = ignoreIndex;
            }
        }
        if (t[0] == ignoreIndex) {
            t[0] = (ignoreIndex + 1) % classes;
        }
        return single ? Tensor.fromLongs(new long[] {t[0]}) : Tensor.fromLongs(t, n);
    }

    static Stream<Arguments> classificationCases() {
        return reductions().flatMap(a -> Stream.of(true, false).map(w -> Arguments.of(a.get()[0], w, a.get()[1])));
    }

    @ParameterizedTest(name = "{0} weighted {1} seed {2}")
    @MethodSource("classificationCases")
    void crossEntropy(String reduction, boolean weighted, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int n = r.nextInt(1, 4);
        int c = r.nextInt(2, 4);
        boolean single = r.random.nextInt(4) == 0;
        int ignoreIndex = r.coin() ? -100 : r.nextInt(0, c - 1);
        double smoothing = r.coin() ? 0.0 : r.uniform(0.05, 0.5);
        Tensor x = r.leaf(single ? new int[] {c} : new int[] {n, c}, ANY);
        Tensor t = targets(r, n, c, single, ignoreIndex);
        Tensor w = weighted ? r.constant(new int[] {c}, () -> r.uniform(0.2, 2)) : null;
        check(in -> F.crossEntropy(in[0], in[1], w, ignoreIndex, reduction, smoothing), x, t);
        check(in -> F.crossEntropy(in[0], in[1], w, ignoreIndex, reduction, 0.3), x, t);
        check(in -> F.crossEntropy(in[0], in[1], w, ignoreIndex, reduction, 0.0), x, t);
        check(in -> F.crossEntropy(in[0], in[1]), x, targets(r, n, c, single, -100));
    }

    @ParameterizedTest(name = "{0} weighted {1} seed {2}")
    @MethodSource("classificationCases")
    void nllLoss(String reduction, boolean weighted, long seed) {
        RandomInputs r = new RandomInputs(seed);
        int n = r.nextInt(1, 4);
        int c = r.nextInt(2, 4);
        boolean single = r.random.nextInt(4) == 0;
        int ignoreIndex = r.coin() ? -100 : r.nextInt(0, c - 1);
        Tensor x = r.leaf(single ? new int[] {c} : new int[] {n, c}, ANY);
        Tensor t = targets(r, n, c, single, ignoreIndex);
        Tensor w = weighted ? r.constant(new int[] {c}, () -> r.uniform(0.2, 2)) : null;
        check(in -> F.nllLoss(in[0], in[1], w, ignoreIndex, reduction), x, t);
        // as used: on log-probabilities
        check(in -> F.nllLoss(F.logSoftmax(in[0], -1), in[1], w, ignoreIndex, reduction), x, t);
        check(in -> F.nllLoss(in[0], in[1]), x, targets(r, n, c, single, -100));
    }
}
