package dev.jgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The engine hands a fresh gradient buffer to a leaf without copying it (as PyTorch's
 * AccumulateGrad steals an unshared gradient), but never a buffer that anything else holds.
 */
class GradBufferOwnershipTest {
    @Test
    void oneGradientPassedToTwoLeavesGivesThemSeparateBuffers() {
        Tensor a = Jgrad.tensor(new double[] {1, 2, 3}).requiresGrad_(true);
        Tensor b = Jgrad.tensor(new double[] {4, 5, 6}).requiresGrad_(true);
        Tensor w = Jgrad.tensor(new double[] {2, 3, 4});
        // AddBackward0 passes the same gradient tensor (w, from the mul) to both inputs
        a.add(b).mul(w).sum().backward();
        assertThat(a.grad().storage()).isNotSameAs(b.grad().storage());
        a.grad().mul_(10.0);
        assertThat(b.grad().toDoubleArray()).containsExactly(2, 3, 4);
        assertThat(a.grad().toDoubleArray()).containsExactly(20, 30, 40);
    }

    @Test
    void theCallersGradientIsNeverTheLeafsBuffer() {
        Tensor a = Jgrad.tensor(new double[] {1, 2}).requiresGrad_(true);
        Tensor gradient = Jgrad.tensor(new double[] {0.5, -1});
        a.add(1.0).backward(gradient);
        assertThat(a.grad().storage()).isNotSameAs(gradient.storage());
        gradient.mul_(3.0);
        assertThat(a.grad().toDoubleArray()).containsExactly(0.5, -1);
    }

    @Test
    void aStolenBufferAccumulatesCorrectlyOverPasses() {
        Tensor w = Jgrad.tensor(new double[][] {{1, 2}, {3, 4}}).requiresGrad_(true);
        Tensor x = Jgrad.tensor(new double[][] {{1, 1}, {2, 0}});
        for (int i = 0; i < 3; i++) {
            x.mm(w).sum().backward();
        }
        // d/dw sum(x @ w) = xᵀ · 1 = column sums of x per row of w, three passes
        assertThat(w.grad().toDoubleArray()).containsExactly(9, 9, 3, 3);
        assertThat(w.grad().isView()).isFalse();
    }

    @Test
    void aRetainedNonLeafGradientIsACopy() {
        Tensor a = Jgrad.tensor(new double[] {1, 2}).requiresGrad_(true);
        Tensor h = a.mul(2.0);
        h.retainGrad();
        h.mul(h).sum().backward();
        assertThat(h.grad().storage()).isNotSameAs(a.grad().storage());
        assertThat(a.grad().toDoubleArray()).containsExactly(8, 16);
        assertThat(h.grad().toDoubleArray()).containsExactly(4, 8);
    }

    @Test
    void aLinearLayersWeightGetsAContiguousGradientOfItsOwn() {
        Tensor x = Jgrad.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor w = Jgrad.tensor(new double[][] {{1, 0, -1}, {2, 1, 0}}).requiresGrad_(true);
        Tensor b = Jgrad.tensor(new double[] {0.5, -0.5}).requiresGrad_(true);
        Tensor gy = Jgrad.tensor(new double[][] {{1, 2}, {3, 4}});
        dev.jgrad.nn.F.linear(x, w, b).backward(gy);
        // dW = gyᵀ · x, db = column sums of gy
        assertThat(w.grad().toDoubleArray()).containsExactly(13, 17, 21, 18, 24, 30);
        assertThat(b.grad().toDoubleArray()).containsExactly(4, 6);
        assertThat(w.grad().isContiguous()).isTrue();
        assertThat(w.grad().isView()).isFalse();
        assertThat(w.grad().storage()).isNotSameAs(gy.storage());
    }
}
