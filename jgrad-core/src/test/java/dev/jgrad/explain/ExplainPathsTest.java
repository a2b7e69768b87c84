package dev.jgrad.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.explain.ExplainTrace.BackwardNode;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import org.junit.jupiter.api.Test;

/**
 * A gradient that arrives by several paths (a residual connection, a product of a tensor with
 * itself) is the explicit sum of its contributions, and any model's graph (not only a Sequential)
 * is explained node by node.
 */
class ExplainPathsTest {
    /** out = L2(relu(z) + z ⊙ z), z = L1(x): z's gradient arrives from ReLU, and twice from the product. */
    static final class Residual extends Module {
        final Linear l1 = registerModule("l1", new Linear(2, 3));
        final Linear l2 = registerModule("l2", new Linear(3, 1));

        @Override
        public Tensor forward(Tensor x) {
            Tensor z = l1.forward(x);
            return F.sigmoid(l2.forward(F.relu(z).add(z.mul(z))));
        }
    }

    @Test
    void severalPathsAreSummedExplicitly() {
        Jgrad.manualSeed(7);
        Residual net = new Residual();
        Tensor x = Jgrad.tensor(new double[][] {{1, 2}, {-1, 0.5}, {0.3, -2}});
        Tensor y = Jgrad.tensor(new double[][] {{1}, {0}, {1}});
        ExplainTrace t = Explainer.ofModule(net).data(x, y).loss(LossKind.BCE).explain();

        assertThat(t.allChecksPass()).isTrue();
        assertThat(t.parameters()).hasSize(4);
        assertThat(t.forward()).hasSize(1);
        assertThat(t.forward().get(0).check()).isNull();
        BackwardNode z = t.backward().stream().filter(n -> n.name().equals("AddmmBackward0") && n.incoming().size() > 1)
                .findFirst().orElseThrow();
        assertThat(z.incoming()).extracting(ExplainTrace.Incoming::fromName)
                .containsExactlyInAnyOrder("ReluBackward0", "MulBackward0", "MulBackward0");
        assertThat(z.incoming().get(0).value().add(z.incoming().get(1).value()).add(z.incoming().get(2).value())
                .maxAbsDiff(z.upstream())).isEqualTo(0.0);
        assertThat(ExplainRenderer.text(t)).contains("is the sum over the 3 paths it arrives by:");
        assertThat(ExplainRenderer.markdown(t)).contains("The gradient arrives by 3 paths");
    }
}
