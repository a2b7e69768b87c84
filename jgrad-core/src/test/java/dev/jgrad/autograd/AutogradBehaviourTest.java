package dev.jgrad.autograd;

import static dev.jgrad.Jgrad.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgrad.DType;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import org.junit.jupiter.api.Test;

/**
 * Autograd semantics and error messages, compared with PyTorch 1.13's behaviour (messages
 * captured from PyTorch; expected gradients derived by hand).
 */
class AutogradBehaviourTest {
    private static Tensor leaf(double... v) {
        return tensor(v).requiresGrad_(true);
    }

    @Test
    void leafGradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sum().backward();
        x.mul(3.0).sum().backward();
        // d(x²)/dx + d(3x)/dx = 2x + 3
        assertThat(x.grad().toDoubleArray()).containsExactly(5, 7, 9);
        assertThat(x.grad().requiresGrad()).isFalse();
    }

    @Test
    void secondBackwardThroughFreedGraphFails() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward();
        assertThatThrownBy(y::backward).hasMessageStartingWith(
                "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed).");
    }

    @Test
    void graphWithoutSavedTensorsCanBeRunTwiceAsInPyTorch() {
        Tensor x = leaf(1, 2);
        Tensor y = x.add(1.0).sum();
        y.backward();
        y.backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 2);
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward(null, true, false);
        y.backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(4, 8);
    }

    @Test
    void nonScalarBackwardNeedsAGradient() {
        Tensor x = leaf(1, 2);
        assertThatThrownBy(() -> x.mul(2.0).backward()).hasMessage("grad can be implicitly created only for scalar outputs");
        x.mul(2.0).backward(tensor(new double[] {1, 10}));
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 20);
    }

    @Test
    void gradientOfTheWrongShapeIsRejected() {
        Tensor x = leaf(1, 2);
        assertThatThrownBy(() -> x.mul(2.0).backward(tensor(new double[] {1, 1, 1})))
                .hasMessage("Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([2]).");
    }

    @Test
    void backwardOnATensorWithoutGradFails() {
        assertThatThrownBy(() -> tensor(new double[] {1}).sum().backward())
                .hasMessage("element 0 of tensors does not require grad and does not have a grad_fn");
    }

    @Test
    void savedTensorModifiedInPlaceIsDetectedByVersion() {
        Tensor x = leaf(1, 2);
        Tensor b = x.mul(1.0).sigmoid();
        try (var g = Jgrad.noGrad()) {
            b.mul_(2.0);
        }
        assertThatThrownBy(() -> b.sum().backward()).hasMessageStartingWith(
                "one of the variables needed for gradient computation has been modified by an inplace operation: "
                        + "[torch.FloatTensor [2]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead.");
    }

    @Test
    void inPlaceOpRecordsAndBumpsTheVersion() {
        Tensor x = leaf(1, 2);
        Tensor b = x.mul(x);
        int before = b.storageVersion();
        b.mul_(2.0);
        assertThat(b.storageVersion()).isEqualTo(before + 1);
        assertThat(b.gradFn().name()).isEqualTo("MulBackward0");
        // b = 2x² after the in-place multiply: db/dx = 4x
        b.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(4, 8);
    }

    @Test
    void inPlaceOnNonLeafRebasesHistory() {
        Tensor x = leaf(1, 2);
        Tensor a = x.mul(2.0);
        a.add_(1.0);
        a.mul_(a.detach().clone());
        // a = (2x + 1) · c with c = (2x + 1) held constant: da/dx = 2c
        a.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(6, 10);
    }

    @Test
    void inPlaceChangeOfASavedOutputFailsAsInPyTorch() {
        Tensor x = leaf(1, 2);
        Tensor b = x.mul(1.0).sigmoid(); // sigmoid saves its output
        b.mul_(2.0);
        assertThatThrownBy(() -> b.sum().backward()).hasMessageContaining("which is output 0 of SigmoidBackward0, is at version 1");
    }

    @Test
    void inPlaceOnALeafThatRequiresGradFails() {
        Tensor x = leaf(1, 2);
        assertThatThrownBy(() -> x.add_(1.0)).hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        try (var g = Jgrad.noGrad()) {
            x.add_(1.0);
        }
        assertThat(x.toDoubleArray()).containsExactly(2, 3);
    }

    @Test
    void onlyFloatingTensorsCanRequireGrad() {
        assertThatThrownBy(() -> tensor(new long[] {1, 2}).requiresGrad_(true))
                .hasMessage("only Tensors of floating point dtype can require gradients");
    }

    @Test
    void requiresGradFlagsOfNonLeavesCannotBeCleared() {
        Tensor y = leaf(1).mul(2.0);
        assertThatThrownBy(() -> y.requiresGrad_(false)).hasMessageStartingWith("you can only change requires_grad flags of leaf variables.");
    }

    @Test
    void retainGradKeepsTheGradientOfANonLeaf() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3.0);
        Tensor k = x.mul(4.0);
        h.retainGrad();
        h.mul(h).sum().add(k.sum()).backward();
        assertThat(h.grad().toDoubleArray()).containsExactly(6, 12); // 2h
        assertThat(k.grad()).isNull();
        assertThatThrownBy(() -> tensor(new double[] {1}).retainGrad()).hasMessage("can't retain_grad on Tensor that has requires_grad=False");
    }

    @Test
    void detachCutsTheGraphButSharesStorage() {
        Tensor x = leaf(1, 2);
        Tensor d = x.detach();
        assertThat(d.requiresGrad()).isFalse();
        assertThat(d.storage()).isSameAs(x.storage());
        Tensor y = x.mul(d).sum(); // d is a constant: dy/dx = d
        y.backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(1, 2);
    }

    @Test
    void noGradScopesNestAndRestore() {
        Tensor x = leaf(1);
        try (var g = Jgrad.noGrad()) {
            assertThat(x.mul(2.0).requiresGrad()).isFalse();
            try (var e = Jgrad.enableGrad()) {
                assertThat(x.mul(2.0).requiresGrad()).isTrue();
            }
            assertThat(Jgrad.isGradEnabled()).isFalse();
        }
        assertThat(Jgrad.isGradEnabled()).isTrue();
        assertThat(x.mul(2.0).gradFn().name()).isEqualTo("MulBackward0");
    }

    @Test
    void autogradGradReturnsGradientsWithoutAccumulating() {
        Tensor x = leaf(1, 2);
        Tensor w = leaf(3, 4);
        Tensor y = x.mul(w).sum();
        Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, false, false, false);
        assertThat(g[0].toDoubleArray()).containsExactly(3, 4);
        assertThat(x.grad()).isNull();
        assertThat(w.grad()).isNull();
    }

    @Test
    void autogradGradOfAnUnusedInput() {
        Tensor x = leaf(1, 2);
        Tensor unused = leaf(1);
        assertThatThrownBy(() -> Autograd.grad(new Tensor[] {x.mul(2.0).sum()}, new Tensor[] {unused}, null, false, false, false))
                .hasMessage("One of the differentiated Tensors appears to not have been used in the graph. "
                        + "Set allow_unused=True if this is the desired behavior.");
        Tensor[] g = Autograd.grad(new Tensor[] {x.mul(2.0).sum()}, new Tensor[] {x, unused}, null, false, false, true);
        assertThat(g[0].toDoubleArray()).containsExactly(2, 2);
        assertThat(g[1]).isNull();
    }

    @Test
    void autogradGradWithRespectToAnIntermediateTensor() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3.0);
        Tensor y = h.mul(h).sum();
        Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {h}, null, false, false, false);
        assertThat(g[0].toDoubleArray()).containsExactly(6, 12);
    }

    @Test
    void createGraphGivesSecondDerivatives() {
        Tensor x = leaf(1, 2, -3);
        Tensor y = x.pow(3.0).sum();
        Tensor[] dy = Autograd.grad(new Tensor[] {y}, new Tensor[] {x});
        assertThat(dy[0].requiresGrad()).isTrue();
        assertThat(dy[0].toDoubleArray()).containsExactly(3, 12, 27); // 3x²
        Tensor[] d2 = Autograd.grad(new Tensor[] {dy[0].sum()}, new Tensor[] {x});
        assertThat(d2[0].toDoubleArray()).containsExactly(6, 12, -18); // 6x
    }

    @Test
    void backwardWithCreateGraphLetsGradBeDifferentiated() {
        Tensor x = leaf(2);
        x.pow(4.0).sum().backward(null, false, true);
        Tensor g = x.grad(); // 4x³ = 32, with a graph
        assertThat(g.item()).isEqualTo(32);
        Tensor[] gg = Autograd.grad(new Tensor[] {g.sum()}, new Tensor[] {x}, null, false, false, false);
        assertThat(gg[0].item()).isEqualTo(48); // 12x²
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        Tensor x = leaf(1);
        Tensor y = x;
        for (int i = 0; i < 200_000; i++) {
            y = y.add(1.0);
        }
        y.sum().backward();
        assertThat(x.grad().item()).isEqualTo(1.0);
    }

    @Test
    void broadcastGradientsAreSummedBackToEachInputShape() {
        Tensor a = Jgrad.ones(3, 1).requiresGrad_(true);
        Tensor b = tensor(new double[] {1, 2, 3, 4}).requiresGrad_(true);
        a.mul(b).sum().backward();
        assertThat(a.grad().shape()).containsExactly(3, 1);
        assertThat(a.grad().toDoubleArray()).containsExactly(10, 10, 10); // Σ b
        assertThat(b.grad().shape()).containsExactly(4);
        assertThat(b.grad().toDoubleArray()).containsExactly(3, 3, 3, 3); // Σ a over rows
    }

    @Test
    void mixedPrecisionGradientsComeBackInEachInputsDtype() {
        Tensor a = tensor(new double[] {1, 2}).requiresGrad_(true);
        Tensor b = tensor(new double[] {3, 4}, DType.FLOAT64).requiresGrad_(true);
        Tensor y = a.mul(b);
        assertThat(y.dtype()).isEqualTo(DType.FLOAT64);
        y.sum().backward();
        assertThat(a.grad().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(b.grad().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(a.grad().toDoubleArray()).containsExactly(3, 4);
    }

    @Test
    void graphOfTheSeedLayerHasPyTorchsNodes() {
        Linear fc = new Linear(2, 3);
        Tensor z = fc.forward(tensor(new double[][] {{1, 2}}));
        Node addmm = z.gradFn();
        assertThat(addmm.name()).isEqualTo("AddmmBackward0");
        assertThat(addmm.nextFunctions()).hasSize(3);
        assertThat(addmm.nextFunctions().get(0).name()).isEqualTo("AccumulateGrad");
        assertThat(addmm.nextFunctions().get(0).variable()).isSameAs(fc.bias);
        assertThat(addmm.nextFunctions().get(1)).isNull(); // the input does not require grad
        assertThat(addmm.nextFunctions().get(2).name()).isEqualTo("TBackward0");
        assertThat(addmm.nextFunctions().get(2).nextFunctions().get(0).variable()).isSameAs(fc.weight);
        Tensor loss = F.binaryCrossEntropy(F.sigmoid(z), Jgrad.zeros(1, 3));
        assertThat(loss.gradFn().name()).isEqualTo("BinaryCrossEntropyBackward0");
        assertThat(loss.gradFn().formula()).contains("∂L/∂a");
    }

    @Test
    void reluSubgradientAtZeroIsZero() {
        Tensor x = leaf(-1, 0, 2);
        x.relu().sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(0, 0, 1);
    }

    @Test
    void aWrongBackwardShapeIsReportedWithTheNodeName() {
        Tensor x = leaf(1, 2);
        Tensor y = Graph.record(x.detach().mul(2.0), "BrokenBackward", "wrong", Graph.inputs(x), Graph.saved(),
                (g, s) -> Graph.grads(Jgrad.ones(3)));
        assertThatThrownBy(() -> y.sum().backward()).hasMessage(
                "Function BrokenBackward returned an invalid gradient at index 0 - got [3] but expected shape compatible with [2]");
    }
}
