package dev.jgrad.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.explain.ExplainTrace.ParameterCheck;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.nn.Tanh;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random MLPs (1 to 4 linear layers, ReLU, sigmoid or tanh between them) under every loss: each
 * parameter's hand-derived gradient matches autograd's, each named intermediate gradient matches
 * its retained {@code .grad}, and the optimizer step by hand matches the optimizer.
 */
class ExplainRandomModelsTest {
    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        long seed = 1;
        for (int depth = 1; depth <= 4; depth++) {
            for (String act : List.of("relu", "sigmoid", "tanh")) {
                for (LossKind loss : LossKind.values()) {
                    out.add(Arguments.of(depth, act, loss, seed++));
                }
            }
        }
        return out.stream();
    }

    static Module activation(String name) {
        switch (name) {
            case "relu": return new ReLU();
            case "sigmoid": return new Sigmoid();
            default: return new Tanh();
        }
    }

    /** An MLP of {@code depth} linear layers with random widths; a sigmoid at the end for bce. */
    static Sequential mlp(int depth, String act, LossKind loss, int in, int out, Generator g) {
        Sequential net = new Sequential();
        int width = in;
        for (int l = 1; l <= depth; l++) {
            int next = l == depth ? out : 2 + (int) (g.uniformDouble(0, 1) * 5);
            net.add(new Linear(width, next, true, g));
            if (l < depth) {
                net.add(activation(act));
            }
            width = next;
        }
        if (loss == LossKind.BCE) {
            net.add(new Sigmoid());
        }
        return net;
    }

    @ParameterizedTest(name = "depth {0}, {1}, {2}")
    @MethodSource("models")
    void everyParameterIsDerivedByHandAsAutogradComputesIt(int depth, String act, LossKind loss, long seed) {
        Generator g = new Generator(seed);
        int n = 3 + (int) (seed % 4);
        int features = 2 + (int) (seed % 3);
        int outputs = loss == LossKind.CROSS_ENTROPY ? 3 : 1 + (int) (seed % 2);
        Sequential net = mlp(depth, act, loss, features, outputs, g);
        Tensor x = Jgrad.randn(g, n, features);
        Tensor y;
        if (loss == LossKind.CROSS_ENTROPY) {
            y = Jgrad.randint(g, 0, outputs, n);
        } else if (loss == LossKind.MSE) {
            y = Jgrad.randn(g, n, outputs);
        } else {
            y = Jgrad.rand(g, n, outputs).gt(0.5).to(dev.jgrad.DType.FLOAT32);
        }
        Optimizer opt = seed % 2 == 0 ? new Adam(net.parameters(), 0.01) : new SGD(net.parameters(), 0.1, 0.9, 0, 0.01, false, false);
        ExplainTrace t = Explainer.of(net).data(x, y).loss(loss).optimizer(opt).explain();

        assertThat(t.parameters()).hasSize(2 * depth);
        for (ParameterCheck p : t.parameters()) {
            assertThat(p.check().ok()).as(p.name() + " hand vs autograd, max diff " + p.check().maxDiff()).isTrue();
            assertThat(p.check().maxDiff()).as(p.name()).isLessThan(1e-5);
        }
        for (ExplainTrace.BackwardNode node : t.backward()) {
            assertThat(node.problem()).as(node.name()).isNull();
            if (node.autograd() != null) {
                assertThat(node.autograd().ok()).as(node.name() + " upstream vs retained grad").isTrue();
            }
        }
        assertThat(t.optimizerSteps()).hasSize(2 * depth);
        assertThat(t.allChecksPass()).isTrue();
        // the renderers cope with every model
        assertThat(ExplainRenderer.text(t)).contains("All checks ✓");
        assertThat(ExplainRenderer.markdown(t)).contains("All checks ✓");
        assertThat(ExplainRenderer.json(t)).contains("\"allChecksPass\": true");
    }
}
