package dev.jgrad.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.Graph;
import dev.jgrad.autograd.Node;
import dev.jgrad.explain.ExplainTrace.BackwardNode;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Parameter;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import org.junit.jupiter.api.Test;

/**
 * The hand derivation is independent of the engine: a backward function that disagrees with the
 * derivative its op declares (injected here by re-recording a real op's output with the real
 * declaration and a wrong backward function) is caught with ✗, at the first node whose gradient
 * is wrong and at every parameter below it, while the parameters above it stay ✓.
 */
class ExplainWrongRuleTest {
    /** The real sigmoid and its declared derivative, with a backward that forgets the factor (1 − σ). */
    static final class BrokenSigmoid extends Sigmoid {
        @Override
        public Tensor forward(Tensor x) {
            Tensor y = F.sigmoid(x);
            Node real = y.gradFn();
            Tensor out = y.detach();
            return Graph.record(out, real.name(), real.derivative(), Graph.inputs(x), Graph.saved(out),
                    (g, s) -> Graph.grads(g.mul(s[0])));
        }
    }

    /** The real relu, with a backward that lets the gradient through where z ≤ 0 too. */
    static final class BrokenRelu extends ReLU {
        @Override
        public Tensor forward(Tensor x) {
            Tensor y = F.relu(x);
            Node real = y.gradFn();
            Tensor out = y.detach();
            return Graph.record(out, real.name(), real.derivative(), Graph.inputs(x), Graph.saved(out),
                    (g, s) -> Graph.grads(g));
        }
    }

    /** The real addmm of a linear layer, with a backward that doubles the weight's gradient. */
    static final class BrokenLinear extends Linear {
        BrokenLinear(int in, int out) {
            super(in, out);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor wt = weight.t();
            Tensor z = F.linear(x, weight, bias);
            Node real = z.gradFn();
            Tensor out = z.detach();
            return Graph.record(out, real.name(), real.derivative(), Graph.inputs(bias, x, wt), Graph.saved(x, wt),
                    (g, s) -> Graph.grads(g, g.mm(s[1].t()), s[0].t().mm(g).mul(2.0)));
        }
    }

    private static Sequential seedLike(Module act1, Linear l2, Module act2) {
        Linear l1 = new Linear(2, 3);
        l1.weight.data().copy_(Jgrad.tensor(new double[][] {{-1, 2}, {3, 0.5}, {-0.1, -4}}));
        l1.bias.data().copy_(Jgrad.tensor(new double[] {1, -2, 0.3}));
        l2.weight.data().copy_(Jgrad.tensor(new double[][] {{0.5, 1, -2}}));
        l2.bias.data().copy_(Jgrad.tensor(new double[] {0.1}));
        return new Sequential(l1, act1, l2, act2);
    }

    private static ExplainTrace explain(Sequential net) {
        Tensor x = Jgrad.tensor(new double[][] {{1, 2}, {3, 4}, {-1, 0.5}});
        Tensor y = Jgrad.tensor(new double[][] {{0}, {1}, {1}});
        return Explainer.of(net).data(x, y).loss(LossKind.BCE).explain();
    }

    private static boolean ok(ExplainTrace t, String param) {
        return t.parameter(param).check().ok();
    }

    @Test
    void theRealOpsAreAllChecked() {
        ExplainTrace t = explain(seedLike(new Sigmoid(), new Linear(3, 1), new Sigmoid()));
        assertThat(t.allChecksPass()).isTrue();
        assertThat(ExplainRenderer.text(t)).doesNotContain("✗");
    }

    @Test
    void aSigmoidBackwardMissingAFactorIsCaught() {
        ExplainTrace t = explain(seedLike(new Sigmoid(), new Linear(3, 1), new BrokenSigmoid()));
        assertThat(t.allChecksPass()).isFalse();
        // everything below the broken node is wrong, nothing above it
        for (String p : new String[] {"0.weight", "0.bias", "2.weight", "2.bias"}) {
            assertThat(ok(t, p)).as(p).isFalse();
        }
        // the first node whose incoming gradient disagrees with autograd's is the one the broken node feeds
        BackwardNode first = t.backward().stream().filter(n -> n.autograd() != null && !n.autograd().ok()).findFirst().orElseThrow();
        assertThat(first.name()).isEqualTo("AddmmBackward0");
        assertThat(first.output().text()).isEqualTo("Z[2]");
        assertThat(ExplainRenderer.text(t)).contains("✗ G differs from autograd's Z[2].grad").contains("Some checks ✗");
        assertThat(ExplainRenderer.markdown(t)).contains("✗");
        assertThat(ExplainRenderer.json(t)).contains("\"allChecksPass\": false");
    }

    @Test
    void aReluBackwardWithoutTheMaskIsCaught() {
        ExplainTrace t = explain(seedLike(new BrokenRelu(), new Linear(3, 1), new Sigmoid()));
        assertThat(ok(t, "2.weight")).isTrue();
        assertThat(ok(t, "2.bias")).isTrue();
        assertThat(ok(t, "0.weight")).isFalse();
        assertThat(ok(t, "0.bias")).isFalse();
    }

    @Test
    void aLinearBackwardWithAWrongWeightGradientIsCaught() {
        ExplainTrace t = explain(seedLike(new ReLU(), new BrokenLinear(3, 1), new Sigmoid()));
        assertThat(ok(t, "2.weight")).isFalse();
        assertThat(ok(t, "2.bias")).isTrue();
        assertThat(ok(t, "0.weight")).isTrue();
        assertThat(ok(t, "0.bias")).isTrue();
        assertThat(t.parameter("2.weight").check().maxDiff()).isGreaterThan(1e-3);
    }

    /** An op whose derivative has no hand rule (pow of two tensors) stops the hand derivation with ✗, not a wrong ✓. */
    static final class PowLayer extends Module {
        final Parameter e = registerParameter("e", new Parameter(Jgrad.tensor(new double[] {1.5})));

        @Override
        public Tensor forward(Tensor x) {
            return x.sigmoid().pow(e);
        }
    }

    @Test
    void anOpWithoutAHandRuleIsReportedAndItsParametersAreNotChecked() {
        ExplainTrace t = explain(seedLike(new ReLU(), new Linear(3, 1), new PowLayer()));
        assertThat(t.backward().get(0).problem()).isNull();
        assertThat(t.backward().stream().filter(n -> n.problem() != null).findFirst().orElseThrow().problem())
                .isEqualTo("PowBackward1 declares no hand rule for its derivative");
        assertThat(ok(t, "3.e")).isFalse();
        assertThat(ok(t, "0.weight")).isFalse();
        assertThat(t.allChecksPass()).isFalse();
        assertThat(ExplainRenderer.text(t)).contains("✗ PowBackward1 declares no hand rule");
    }
}
