package dev.jgrad.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.Node;
import dev.jgrad.hand.NdArray;
import dev.jgrad.nn.F;
import dev.jgrad.ops.Activations;
import dev.jgrad.ops.LinearAlgebra;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op's hand rule agrees with its backward function: for each op, random float64 leaves, a
 * scalar {@code (op(leaves) ⊙ R).sum()} with random R, and the leaves' gradients derived by hand
 * (the explainer's walk over the graph) equal autograd's. A rule and a backward that drift apart
 * fail here, whichever of the two changed.
 */
class ExplainHandRulesTest {
    private record Case(String name, Function<Tensor[], Tensor> op, int[][] shapes, double lo, double hi) {
    }

    private static Case c(String name, Function<Tensor[], Tensor> op, double lo, double hi, int[]... shapes) {
        return new Case(name, op, shapes, lo, hi);
    }

    private static final int[] M = {3, 4};
    private static final int[] ROW = {4};
    private static final int[] COL = {3, 1};

    static Stream<Arguments> cases() {
        List<Case> cs = new ArrayList<>();
        // element-wise, one input (values kept away from kinks and domain edges)
        cs.add(c("neg", x -> x[0].neg(), -2, 2, M));
        cs.add(c("exp", x -> x[0].exp(), -2, 2, M));
        cs.add(c("log", x -> x[0].log(), 0.2, 2, M));
        cs.add(c("log1p", x -> x[0].log1p(), -0.5, 2, M));
        cs.add(c("sqrt", x -> x[0].sqrt(), 0.2, 2, M));
        cs.add(c("abs", x -> x[0].abs(), 0.2, 2, M));
        cs.add(c("sin", x -> x[0].sin(), -2, 2, M));
        cs.add(c("cos", x -> x[0].cos(), -2, 2, M));
        cs.add(c("tanh", x -> x[0].tanh(), -2, 2, M));
        cs.add(c("sigmoid", x -> x[0].sigmoid(), -2, 2, M));
        cs.add(c("relu", x -> x[0].relu(), -2, 2, M));
        cs.add(c("leaky_relu", x -> F.leakyRelu(x[0], 0.2), -2, 2, M));
        cs.add(c("gelu", x -> F.gelu(x[0]), -2, 2, M));
        cs.add(c("gelu tanh", x -> F.gelu(x[0], "tanh"), -2, 2, M));
        cs.add(c("clamp", x -> x[0].clamp(-0.5, 0.7), -2, 2, M));
        // with a number
        cs.add(c("x + c", x -> x[0].add(1.5), -2, 2, M));
        cs.add(c("x − c", x -> x[0].sub(1.5), -2, 2, M));
        cs.add(c("c − x", x -> x[0].rsub(1.5), -2, 2, M));
        cs.add(c("c·x", x -> x[0].mul(-2.5), -2, 2, M));
        cs.add(c("x / c", x -> x[0].div(4.0), -2, 2, M));
        cs.add(c("c / x", x -> x[0].rdiv(3.0), 0.3, 2, M));
        cs.add(c("x ^ c", x -> x[0].pow(3.0), 0.2, 2, M));
        cs.add(c("c ^ x", x -> x[0].rpow(2.0), -2, 2, M));
        // two inputs, with broadcasting
        cs.add(c("add", x -> x[0].add(x[1]), -2, 2, M, ROW));
        cs.add(c("add alpha", x -> x[0].add(x[1], 0.5), -2, 2, COL, M));
        cs.add(c("sub", x -> x[0].sub(x[1], 2.0), -2, 2, M, COL));
        cs.add(c("mul", x -> x[0].mul(x[1]), -2, 2, M, ROW));
        cs.add(c("div", x -> x[0].div(x[1]), 0.3, 2, COL, M));
        cs.add(c("where", x -> Tensor.where(x[0].gt(0.0), x[0], x[1]), -2, 2, M, ROW));
        cs.add(c("masked_fill", x -> x[0].maskedFill(x[0].lt(0.0), 2.0), -2, 2, M));
        // matrix products
        cs.add(c("mm", x -> x[0].mm(x[1]), -2, 2, M, new int[] {4, 2}));
        cs.add(c("matmul", x -> x[0].matmul(x[1]), -2, 2, M, new int[] {4, 2}));
        cs.add(c("addmm", x -> LinearAlgebra.addmm(x[0], x[1], x[2], 0.5, 2.0), -2, 2, new int[] {2}, M, new int[] {4, 2}));
        cs.add(c("linear", x -> F.linear(x[0], x[1], x[2]), -2, 2, M, new int[] {2, 4}, new int[] {2}));
        cs.add(c("linear, no bias", x -> F.linear(x[0], x[1], null), -2, 2, M, new int[] {2, 4}));
        // views and copies
        cs.add(c("t", x -> x[0].t(), -2, 2, M));
        cs.add(c("transpose", x -> x[0].reshape(3, 2, 2).transpose(0, 2), -2, 2, M));
        cs.add(c("view", x -> x[0].view(2, 6), -2, 2, M));
        cs.add(c("reshape of a transpose", x -> x[0].t().reshape(12), -2, 2, M));
        cs.add(c("unsqueeze, squeeze", x -> x[0].unsqueeze(1).squeeze(1), -2, 2, M));
        cs.add(c("expand", x -> x[0].expand(3, 4), -2, 2, COL));
        cs.add(c("flatten", x -> x[0].reshape(3, 2, 2).flatten(1, 2), -2, 2, M));
        cs.add(c("clone", x -> x[0].clone(), -2, 2, M));
        cs.add(c("to float32", x -> x[0].to(DType.FLOAT32).to(DType.FLOAT64), -2, 2, M));
        // reductions
        cs.add(c("sum", x -> x[0].sum(), -2, 2, M));
        cs.add(c("sum dim", x -> x[0].sum(1), -2, 2, M));
        cs.add(c("sum dim keepdim", x -> x[0].sum(0, true), -2, 2, M));
        cs.add(c("mean", x -> x[0].mean(), -2, 2, M));
        cs.add(c("mean dim", x -> x[0].mean(0), -2, 2, M));
        // softmax family
        cs.add(c("softmax", x -> F.softmax(x[0], 1), -2, 2, M));
        cs.add(c("softmax dim 0", x -> F.softmax(x[0], 0), -2, 2, M));
        cs.add(c("log_softmax", x -> F.logSoftmax(x[0], 1), -2, 2, M));
        cs.add(c("dropout", x -> Activations.dropout(x[0], 0.4, new Generator(3)), -2, 2, M));
        // losses (targets fixed)
        Tensor prob = Jgrad.tensor(new double[][] {{0, 1, 1, 0}, {1, 0.3, 0, 1}, {0.5, 1, 0, 0}}, DType.FLOAT64);
        Tensor classes = Jgrad.tensor(new long[] {2, 0, 3});
        cs.add(c("bce mean", x -> F.binaryCrossEntropy(x[0], prob), 0.1, 0.9, M));
        cs.add(c("bce sum, weight", x -> F.binaryCrossEntropy(x[0], prob, x[1].detach().abs(), "sum"), 0.1, 0.9, M, ROW));
        cs.add(c("bce none", x -> F.binaryCrossEntropy(x[0], prob, null, "none"), 0.1, 0.9, M));
        cs.add(c("bce with target grad", x -> F.binaryCrossEntropy(x[0], x[1].sigmoid(), null, "mean"), 0.1, 0.9, M, M));
        cs.add(c("bce logits", x -> F.binaryCrossEntropyWithLogits(x[0], prob), -2, 2, M));
        cs.add(c("bce logits, pos_weight", x -> F.binaryCrossEntropyWithLogits(x[0], prob, null, x[1].detach().abs(), "mean"),
                -2, 2, M, ROW));
        cs.add(c("bce logits, target grad", x -> F.binaryCrossEntropyWithLogits(x[0], x[1].sigmoid()), -2, 2, M, M));
        cs.add(c("mse mean", x -> F.mseLoss(x[0], x[1]), -2, 2, M, M));
        cs.add(c("mse sum", x -> F.mseLoss(x[0], prob, "sum"), -2, 2, M));
        cs.add(c("mse none", x -> F.mseLoss(x[0], prob, "none"), -2, 2, M));
        cs.add(c("nll", x -> F.nllLoss(x[0], classes), -2, 2, M));
        cs.add(c("nll weights, ignore, sum", x -> F.nllLoss(x[0], classes, Jgrad.tensor(new double[] {1, 2, 0.5, 3}, DType.FLOAT64), 0, "sum"),
                -2, 2, M));
        cs.add(c("cross entropy", x -> F.crossEntropy(x[0], classes), -2, 2, M));
        List<Arguments> out = new ArrayList<>();
        for (Case k : cs) {
            out.add(Arguments.of(k.name(), k));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handRuleAgreesWithTheBackwardFunction(String name, Case k) {
        Generator g = new Generator(name.hashCode());
        Tensor[] leaves = new Tensor[k.shapes().length];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = Jgrad.rand(g, k.shapes()[i]).to(DType.FLOAT64).mul(k.hi() - k.lo()).add(k.lo()).detach().requiresGrad_();
        }
        Tensor y = k.op().apply(leaves);
        Tensor r = Jgrad.randn(g, y.shape()).to(DType.FLOAT64);
        Tensor loss = y.mul(r).sum();

        Map<Tensor, ExplainTrace.Symbol> names = new IdentityHashMap<>();
        HandBackward hand = new HandBackward(loss, names, names, new IdentityHashMap<>()).run();
        List<String> problems = new ArrayList<>();
        for (ExplainTrace.BackwardNode n : hand.nodes(names, 1e-9)) {
            if (n.problem() != null) {
                problems.add(n.problem());
            }
        }
        assertThat(problems).isEmpty();
        loss.backward();
        for (int i = 0; i < leaves.length; i++) {
            NdArray h = hand.leafGrads().get(leaves[i]);
            if (leaves[i].grad() == null) {
                assertThat(h).as("input " + i + " is not in the graph").isNull();
                continue;
            }
            assertThat(h).as("hand gradient of input " + i).isNotNull();
            NdArray auto = NdArray.of(leaves[i].grad());
            assertThat(h.maxAbsDiff(auto)).as(name + ": input " + i + " hand " + h + " autograd " + auto)
                    .isLessThan(1e-6 * (1 + auto.maxAbs()));
        }
    }

    /** The ops that make up the explained models and losses all declare hand rules (with LaTeX). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyNodeDeclaresTextLatexAndAHandRule(String name, Case k) {
        Tensor[] leaves = new Tensor[k.shapes().length];
        for (int i = 0; i < leaves.length; i++) {
            leaves[i] = Jgrad.ones(DType.FLOAT64, k.shapes()[i]).mul(0.5).requiresGrad_();
        }
        Tensor loss = k.op().apply(leaves).sum();
        for (Node n : dev.jgrad.autograd.Autograd.backwardOrder(loss)) {
            if (n.variable() == null) {
                assertThat(n.derivative().handRule()).as(n.name()).isNotNull();
                assertThat(n.derivative().latex()).as(n.name()).doesNotStartWith("\\text{");
                assertThat(n.formula()).as(n.name()).isEqualTo(n.derivative().text());
            }
        }
    }
}
