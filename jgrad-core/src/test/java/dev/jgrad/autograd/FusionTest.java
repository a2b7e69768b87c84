package dev.jgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.kernel.UnaryOp;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Parameter;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.ops.LinearAlgebra;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fused linear + activation forward and the fused ReLU-masked backward product
 * ({@link Fusion}) against the same programs with fusion off: the loss, every {@code .grad}, the
 * graph (node names in engine order, edges, saved tensors) bit for bit. Every "fused" case
 * checks the fusion counters moved by exactly the expected amount, and every case where fusion
 * must not apply checks that they did not.
 */
class FusionTest {
    private static final int[] EDGE = {1, 7, 8, 9, 31, 33, 257};
    private final int threadsBefore = Jgrad.getNumThreads();

    private long minWorkBefore;

    /** Fuse products of every size here, so that the fused paths run on the edge sizes too. */
    @BeforeEach
    void fuseEverySize() {
        minWorkBefore = Fusion.setMinWork(0);
    }

    @AfterEach
    void restore() {
        Fusion.setEnabled(true);
        Fusion.setMinWork(minWorkBefore);
        Jgrad.setNumThreads(threadsBefore);
    }

    /**
     * By default products on GEMM's small path are not fused (the seed network's), larger ones
     * are (the benchmark's MLP); the bits are the same either way.
     */
    @Test
    void byDefaultOnlyProductsBeyondTheSmallPathAreFused() {
        Fusion.setMinWork(minWorkBefore);
        Random r = new Random(5);
        // {batch, d0, d1, d2, d3, fused forwards, fused backward products}
        int[][] cases = {{2, 2, 3, 2, 1, 0, 0}, {64, 784, 256, 128, 10, 2, 2}, {16, 64, 16, 8, 4, 1, 0}};
        int seed = 100;
        for (int[] c : cases) {
            Tensor x = input(r, DType.FLOAT32, c[0], c[1]);
            String what = "batch " + c[0] + ", " + c[1] + "-" + c[2] + "-" + c[3] + "-" + c[4];
            seed++;
            Sequential a = mlp(seed, c[1], c[2], c[3], c[4], false);
            Sequential b = mlp(seed, c[1], c[2], c[3], c[4], false);
            Step fused = step(true, a.parameters(), f -> a.forward(x));
            Step plain = step(false, b.parameters(), f -> b.forward(x));
            assertSame(fused, plain, what);
            assertThat(fused.forwardFusions).as(what + ": fused forwards").isEqualTo(c[5]);
            assertThat(fused.backwardFusions).as(what + ": fused backward products").isEqualTo(c[6]);
        }
    }

    /** What a training step exposes: the loss, each parameter's gradient, the graph. */
    private static final class Step {
        Tensor output;
        Tensor loss;
        final List<Tensor> grads = new ArrayList<>();
        String graph;
        long forwardFusions;
        long backwardFusions;
    }

    private static Step step(boolean fused, List<? extends Tensor> params, Function<Boolean, Tensor> forward,
                             java.util.function.Consumer<Tensor> backward) {
        Fusion.setEnabled(fused);
        long f0 = Fusion.forwardCount();
        long b0 = Fusion.backwardCount();
        Step s = new Step();
        s.output = forward.apply(fused);
        s.loss = s.output.numel() == 1 ? s.output : s.output.mul(s.output).mean();
        s.graph = describe(s.loss);
        s.forwardFusions = Fusion.forwardCount() - f0;
        backward.accept(s.loss);
        s.backwardFusions = Fusion.backwardCount() - b0;
        for (Tensor p : params) {
            s.grads.add(p.grad());
        }
        Fusion.setEnabled(true);
        return s;
    }

    private static Step step(boolean fused, List<? extends Tensor> params, Function<Boolean, Tensor> forward) {
        return step(fused, params, forward, Tensor::backward);
    }

    /**
     * The graph as text: nodes in the engine's order, each with its edges (by position in that
     * order) and its saved tensors (shape, dtype and every bit; "output" where it is the node's
     * own output).
     */
    static String describe(Tensor root) {
        List<Node> order = Engine.order(root.gradEdge());
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (Node n : order) {
            index.put(n, index.size());
        }
        StringBuilder b = new StringBuilder();
        for (Node n : order) {
            b.append(index.get(n)).append(' ').append(n.name()).append(" ->");
            for (Node c : n.nextFunctions()) {
                b.append(' ').append(c == null ? "None" : index.get(c));
            }
            if (n.variable() == null) {
                for (Tensor t : n.savedTensors()) {
                    b.append(" saved ").append(t.dtype()).append(java.util.Arrays.toString(t.shape()))
                            .append(t.gradFn() == n ? " (output)" : "").append(bits(t));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String bits(Tensor t) {
        StringBuilder b = new StringBuilder("[");
        for (double v : t.toDoubleArray()) {
            b.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(',');
        }
        return b.append(']').toString();
    }

    private static void assertSameBits(Tensor actual, Tensor expected, String what) {
        assertThat(actual == null).as(what + ": null").isEqualTo(expected == null);
        if (expected != null) {
            assertThat(actual.shape()).as(what + ": shape").isEqualTo(expected.shape());
            assertThat(actual.dtype()).as(what + ": dtype").isEqualTo(expected.dtype());
            assertThat(bits(actual)).as(what).isEqualTo(bits(expected));
        }
    }

    private static void assertSame(Step fused, Step plain, String what) {
        assertThat(fused.graph).as(what + ": graph").isEqualTo(plain.graph);
        assertSameBits(fused.output, plain.output, what + ": output");
        assertSameBits(fused.loss, plain.loss, what + ": loss");
        assertThat(fused.grads).hasSameSizeAs(plain.grads);
        for (int i = 0; i < plain.grads.size(); i++) {
            assertSameBits(fused.grads.get(i), plain.grads.get(i), what + ": grad of parameter " + i);
        }
        assertThat(plain.forwardFusions).as(what + ": fused forwards with fusion off").isZero();
        assertThat(plain.backwardFusions).as(what + ": fused backwards with fusion off").isZero();
    }

    private static Tensor input(Random r, DType t, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return Tensor.fromDoubles(v, shape).to(t);
    }

    /** Linear, ReLU, Linear, ReLU, Linear[, Sigmoid] from a seeded generator: the same weights for the same seed. */
    private static Sequential mlp(long seed, int in, int h1, int h2, int out, boolean sigmoid) {
        Generator g = new Generator(seed);
        Sequential s = new Sequential(new Linear(in, h1, true, g), new ReLU(), new Linear(h1, h2, true, g), new ReLU(),
                new Linear(h2, out, true, g));
        return sigmoid ? s.add(new Sigmoid()) : s;
    }

    @Test
    void sequentialMlpIsBitIdenticalWithFusionOnAndOff() {
        Random r = new Random(2024);
        List<int[]> configs = new ArrayList<>();
        for (int e : EDGE) {
            configs.add(new int[] {e, e == 257 ? 33 : e, e, 9, 3});
        }
        for (int i = 0; i < 6; i++) {
            configs.add(new int[] {EDGE[r.nextInt(7)], EDGE[r.nextInt(7)], EDGE[r.nextInt(7)], EDGE[r.nextInt(6)], EDGE[r.nextInt(4)]});
        }
        configs.add(new int[] {64, 784, 256, 128, 10}); // the benchmark's MLP: blocked products, two threads
        int seed = 0;
        for (int[] c : configs) {
            for (boolean sigmoid : new boolean[] {false, true}) {
                for (int threads = 1; threads <= 2; threads++) {
                    Jgrad.setNumThreads(threads);
                    Tensor x = input(r, DType.FLOAT32, c[0], c[1]);
                    String what = "batch " + c[0] + ", " + c[1] + "-" + c[2] + "-" + c[3] + "-" + c[4] + (sigmoid ? ", sigmoid" : "")
                            + ", threads " + threads;
                    seed++;
                    Sequential a = mlp(seed, c[1], c[2], c[3], c[4], sigmoid);
                    Sequential b = mlp(seed, c[1], c[2], c[3], c[4], sigmoid);
                    Step fused = step(true, a.parameters(), f -> a.forward(x));
                    Step plain = step(false, b.parameters(), f -> b.forward(x));
                    assertSame(fused, plain, what);
                    assertThat(fused.forwardFusions).as(what + ": fused forwards").isEqualTo(sigmoid ? 3 : 2);
                    assertThat(fused.backwardFusions).as(what + ": fused backward products").isEqualTo(2);
                    assertThat(fused.output.gradFn().name()).isEqualTo(sigmoid ? "SigmoidBackward0" : "AddmmBackward0");
                }
            }
        }
    }

    /** Float64 (and float32) through the functional path Sequential uses, against F.relu(F.linear(...)). */
    @Test
    void functionalLayersAreBitIdenticalInBothPrecisions() {
        Random r = new Random(99);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            // {batch, d0, d1, d2, d3}: layer l maps d_l features to d_(l+1)
            for (int[] c : new int[][] {{1, 7, 8, 9, 1}, {9, 31, 33, 8, 7}, {33, 257, 31, 7, 8}, {257, 9, 257, 1, 33}, {8, 33, 7, 31, 9}}) {
                for (int threads = 1; threads <= 2; threads++) {
                    Jgrad.setNumThreads(threads);
                    Tensor x = input(r, t, c[0], c[1]);
                    List<Tensor> pa = new ArrayList<>();
                    for (int l = 0; l < 3; l++) {
                        pa.add(input(r, t, c[l + 2], c[l + 1]).requiresGrad_());
                        pa.add(input(r, t, c[l + 2]).requiresGrad_());
                    }
                    List<Tensor> pb = new ArrayList<>();
                    for (Tensor p : pa) {
                        pb.add(p.detach().cloneData().requiresGrad_());
                    }
                    Function<List<Tensor>, Function<Boolean, Tensor>> net = p -> fused -> {
                        Tensor h = x;
                        for (int l = 0; l < 3; l++) {
                            UnaryOp act = l < 2 ? UnaryOp.RELU : UnaryOp.SIGMOID;
                            h = fused ? LinearAlgebra.linearActivation(h, p.get(2 * l), p.get(2 * l + 1), act)
                                    : act == UnaryOp.RELU ? F.relu(F.linear(h, p.get(2 * l), p.get(2 * l + 1)))
                                    : F.sigmoid(F.linear(h, p.get(2 * l), p.get(2 * l + 1)));
                        }
                        return h;
                    };
                    String what = t + " " + java.util.Arrays.toString(c) + ", threads " + threads;
                    Step fused = step(true, pa, net.apply(pa));
                    Step plain = step(false, pb, net.apply(pb));
                    assertSame(fused, plain, what);
                    assertThat(fused.forwardFusions).as(what).isEqualTo(3);
                    assertThat(fused.backwardFusions).as(what).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void theGraphIsPyTorchsNodeForNode() {
        Tensor x = input(new Random(5), DType.FLOAT32, 4, 3);
        Sequential a = new Sequential(new Linear(3, 5, true, new Generator(1)), new ReLU());
        Tensor y = a.forward(x);
        Node relu = y.gradFn();
        assertThat(relu.name()).isEqualTo("ReluBackward0");
        assertThat(relu.savedTensors().get(0)).as("ReluBackward0 saves its result").isSameAs(y);
        Node addmm = relu.nextFunctions().get(0);
        assertThat(addmm.name()).isEqualTo("AddmmBackward0");
        assertThat(addmm.nextFunctions()).extracting(n -> n == null ? "None" : n.name())
                .containsExactly("AccumulateGrad", "None", "TBackward0");
        assertThat(addmm.nextFunctions().get(0).variable()).isSameAs(((Linear) a.get(0)).bias);
        assertThat(addmm.nextFunctions().get(2).nextFunctions().get(0).variable()).isSameAs(((Linear) a.get(0)).weight);
        assertThat(addmm.savedTensors().get(0)).as("mat1").isSameAs(x);
        assertThat(addmm.savedTensors().get(1).shape()).as("mat2 = wᵀ").containsExactly(3, 5);
        assertThat(Autograd.backwardOrder(y.sum())).extracting(Node::name).containsExactly("SumBackward0", "ReluBackward0",
                "AddmmBackward0", "AccumulateGrad", "TBackward0", "AccumulateGrad"); // AccumulateGrad as soon as ready
    }

    // ------------------------------------------------------------------ where fusion must not apply

    @Test
    void aReluOutputUsedTwiceIsNotFusedInBackward() {
        Tensor x = input(new Random(1), DType.FLOAT32, 9, 8);
        // the other use's backward runs before the product's (its gradient is there already) or after it
        for (boolean sumFirst : new boolean[] {false, true}) {
            Step[] s = new Step[2];
            for (int i = 0; i < 2; i++) {
                Sequential first = new Sequential(new Linear(8, 33, true, new Generator(3)), new ReLU());
                Linear second = new Linear(33, 7, true, new Generator(4));
                List<Parameter> params = new ArrayList<>(first.parameters());
                params.addAll(second.parameters());
                s[i] = step(i == 0, params, f -> {
                    Tensor h = first.forward(x);
                    Tensor sum = sumFirst ? h.sum(1, true) : null;
                    Tensor z = second.forward(h); // h feeds the product and the sum
                    return z.add(sumFirst ? sum : h.sum(1, true));
                });
            }
            assertSame(s[0], s[1], "relu output used twice, sum first " + sumFirst);
            assertThat(s[0].forwardFusions).isEqualTo(1);
            assertThat(s[0].backwardFusions).isZero();
        }
    }

    @Test
    void retainGradOnTheReluOutputKeepsItsUnmaskedGradient() {
        Tensor x = input(new Random(2), DType.FLOAT32, 9, 8);
        Tensor[] retained = new Tensor[2];
        Tensor[] hidden = new Tensor[2];
        Step[] s = new Step[2];
        for (int i = 0; i < 2; i++) {
            Sequential first = new Sequential(new Linear(8, 33, true, new Generator(3)), new ReLU());
            Linear second = new Linear(33, 7, true, new Generator(4));
            List<Parameter> params = new ArrayList<>(first.parameters());
            params.addAll(second.parameters());
            int k = i;
            s[i] = step(i == 0, params, f -> {
                Tensor h = first.forward(x);
                retained[k] = h.retainGrad();
                hidden[k] = h;
                return second.forward(h);
            });
        }
        assertSame(s[0], s[1], "retain_grad");
        assertThat(s[0].backwardFusions).isZero();
        assertSameBits(retained[0].grad(), retained[1].grad(), "the relu output's retained grad");
        double[] h = hidden[0].toDoubleArray();
        double[] gh = retained[0].grad().toDoubleArray();
        int unmasked = 0;
        for (int i = 0; i < h.length; i++) {
            unmasked += h[i] <= 0 && gh[i] != 0 ? 1 : 0;
        }
        assertThat(unmasked).as("∂J/∂h is not masked where h = 0").isPositive();
    }

    @Test
    void createGraphIsNotFusedAndGivesSecondDerivatives() {
        Tensor x = input(new Random(3), DType.FLOAT32, 9, 8);
        Step[] s = new Step[2];
        Tensor[] second = new Tensor[2];
        for (int i = 0; i < 2; i++) {
            Sequential m = mlp(3, 8, 33, 31, 7, false);
            s[i] = step(i == 0, m.parameters(), f -> m.forward(x), loss -> loss.backward(null, true, true));
            // d(‖∂J/∂W1‖²)/dW2: flows through layer 2's backward product and the ReLU mask after it
            Tensor g1 = s[i].grads.get(0);
            Fusion.setEnabled(i == 0);
            second[i] = Autograd.grad(new Tensor[] {g1.mul(g1).sum()}, new Tensor[] {m.parameters().get(2)}, null, false, false, false)[0];
        }
        assertThat(s[0].backwardFusions).isZero();
        assertThat(s[0].forwardFusions).isEqualTo(2);
        assertSame(s[0], s[1], "create_graph");
        assertThat(s[0].grads.get(0).requiresGrad()).as("grads have a graph").isTrue();
        assertSameBits(second[0], second[1], "second derivative");
        assertThat(java.util.Arrays.stream(second[0].toDoubleArray()).anyMatch(v -> v != 0)).as("a non-zero second derivative").isTrue();
    }

    @Test
    void linearWithoutBiasIsNotFusedForward() {
        Tensor x = input(new Random(4), DType.FLOAT32, 9, 8);
        Step[] s = new Step[2];
        for (int i = 0; i < 2; i++) {
            Generator g = new Generator(6);
            Sequential m = new Sequential(new Linear(8, 33, false, g), new ReLU(), new Linear(33, 7, true, g), new ReLU(),
                    new Linear(7, 2, false, g), new ReLU());
            s[i] = step(i == 0, m.parameters(), f -> m.forward(x));
        }
        assertSame(s[0], s[1], "no bias");
        assertThat(s[0].forwardFusions).as("only the middle layer has a bias").isEqualTo(1);
        // the ReLU after the bias-less first layer still feeds the second layer's addmm
        assertThat(s[0].backwardFusions).isEqualTo(1);
        assertThat(s[0].graph).contains("MmBackward0");
    }

    @Test
    void gradModeOffGivesTheSameValuesWithoutAGraph() {
        Tensor x = input(new Random(5), DType.FLOAT32, 33, 8);
        Tensor[] out = new Tensor[2];
        long[] forwards = new long[2];
        for (int i = 0; i < 2; i++) {
            Sequential m = mlp(7, 8, 33, 31, 7, true);
            Fusion.setEnabled(i == 0);
            long f0 = Fusion.forwardCount();
            try (var g = Jgrad.noGrad()) {
                out[i] = m.forward(x);
            }
            forwards[i] = Fusion.forwardCount() - f0;
        }
        assertSameBits(out[0], out[1], "no_grad output");
        assertThat(out[0].requiresGrad()).isFalse();
        assertThat(out[0].gradFn()).isNull();
        // inference takes the fused kernel too: there is no graph for it to change
        assertThat(forwards).containsExactly(3, 0);
    }

    @Test
    void autogradGradWithRespectToTheReluOutputIsUnmasked() {
        Tensor x = input(new Random(6), DType.FLOAT32, 9, 8);
        Tensor[][] grads = new Tensor[2][];
        long[] backwards = new long[2];
        for (int i = 0; i < 2; i++) {
            Sequential first = new Sequential(new Linear(8, 33, true, new Generator(3)), new ReLU());
            Sequential rest = new Sequential(new Linear(33, 31, true, new Generator(4)), new ReLU(), new Linear(31, 2, true, new Generator(5)));
            Fusion.setEnabled(i == 0);
            Tensor h = first.forward(x);
            Tensor loss = rest.forward(h).sum();
            long b0 = Fusion.backwardCount();
            grads[i] = Autograd.grad(new Tensor[] {loss}, new Tensor[] {h, ((Linear) first.get(0)).weight}, null, false, false, false);
            backwards[i] = Fusion.backwardCount() - b0;
        }
        assertSameBits(grads[0][0], grads[1][0], "∂loss/∂h");
        assertSameBits(grads[0][1], grads[1][1], "∂loss/∂W1");
        // the inner ReLU (not an input) is fused, h's is not
        assertThat(backwards).containsExactly(1, 0);
    }

    @Test
    void aReluOutputModifiedInPlaceFailsAsUnfused() {
        String[] messages = new String[2];
        for (int i = 0; i < 2; i++) {
            Sequential first = new Sequential(new Linear(8, 33, true, new Generator(3)), new ReLU());
            Linear second = new Linear(33, 7, true, new Generator(4));
            Fusion.setEnabled(i == 0);
            Tensor h = first.forward(input(new Random(7), DType.FLOAT32, 9, 8));
            Tensor loss = second.forward(h).sum();
            try (var g = Jgrad.noGrad()) {
                h.mul_(2.0);
            }
            long b0 = Fusion.backwardCount();
            int k = i;
            assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class).satisfies(e -> messages[k] = e.getMessage());
            assertThat(Fusion.backwardCount()).isEqualTo(b0);
        }
        assertThat(messages[0]).contains("modified by an inplace operation").isEqualTo(messages[1]);
    }

    @Test
    void subclassesAndOtherInputsTakeTheModules() {
        Tensor x3 = input(new Random(8), DType.FLOAT32, 2, 5, 8);
        Tensor x = input(new Random(8), DType.FLOAT32, 5, 8);
        class MyReLU extends ReLU {
        }
        for (boolean threeD : new boolean[] {false, true}) {
            Step[] s = new Step[2];
            for (int i = 0; i < 2; i++) {
                Sequential m = threeD ? mlp(9, 8, 7, 9, 3, false)
                        : new Sequential(new Linear(8, 7, true, new Generator(9)), new MyReLU(), new Linear(7, 3, true, new Generator(9)));
                s[i] = step(i == 0, m.parameters(), f -> m.forward(threeD ? x3 : x));
            }
            assertSame(s[0], s[1], threeD ? "3-D input" : "ReLU subclass");
            assertThat(s[0].forwardFusions).isZero();
        }
    }
}
