package dev.jgrad.autograd;

import static dev.jgrad.autograd.Graph.grads;
import static dev.jgrad.autograd.Graph.inputs;
import static dev.jgrad.autograd.Graph.saved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.kernel.Kernels;
import dev.jgrad.kernel.UnaryOp;
import org.junit.jupiter.api.Test;

/** GradCheck itself: it passes correct gradients, reports wrong ones precisely and rejects bad inputs. */
class GradCheckTest {
    private static Tensor leaf(double... v) {
        return Tensor.fromDoubles(v, v.length).requiresGrad_();
    }

    /** exp with a deliberately wrong backward: ∂/∂x = x instead of exp(x). */
    private static Tensor wrongExp(Tensor x) {
        Tensor y = Kernels.unary(UnaryOp.EXP, x);
        return Graph.record(y, "WrongExpBackward", "wrong on purpose", inputs(x), saved(x), (g, s) -> grads(g.mul(s[0])));
    }

    /** a·b whose backward for b is wrong (g·b instead of g·a). */
    private static Tensor wrongMul(Tensor a, Tensor b) {
        Tensor y = Kernels.binary(dev.jgrad.kernel.BinaryOp.MUL, a, b, DType.FLOAT64);
        return Graph.record(y, "WrongMulBackward", "wrong on purpose", inputs(a, b), saved(a, b),
                (g, s) -> grads(g.mul(s[1]), g.mul(s[1])));
    }

    /** exp whose backward is right but saves a detached output: no second derivative through it. */
    private static Tensor expWithoutDoubleBackward(Tensor x) {
        Tensor y = Kernels.unary(UnaryOp.EXP, x);
        Tensor constant = y.detach();
        return Graph.record(y, "FlatExpBackward", "right first derivative only", inputs(x), saved(constant),
                (g, s) -> grads(g.mul(s[0])));
    }

    @Test
    void passesCorrectGradientsOfSeveralInputs() {
        Tensor a = leaf(0.3, -1.2, 2.0);
        Tensor b = leaf(1.5, 0.7, -0.4);
        assertThat(GradCheck.gradcheck(in -> in[0].mul(in[1]).add(in[0].exp()), a, b)).isTrue();
        assertThat(GradCheck.gradgradcheck(in -> in[0].mul(in[1]).add(in[0].exp()), a, b)).isTrue();
    }

    @Test
    void reportsAWrongBackwardAsAJacobianMismatch() {
        Tensor x = leaf(0.5, 1.0, -0.25);
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> wrongExp(in[0]), x))
                .isInstanceOf(GradCheck.GradcheckError.class)
                .hasMessageStartingWith("Jacobian mismatch for output 0 with respect to input 0,")
                .hasMessageContaining("numerical:tensor(")
                .hasMessageContaining("analytical:tensor(");
    }

    @Test
    void namesTheInputOutputElementAndBothValues() {
        Tensor a = leaf(0.5, 1.0, -0.25);
        Tensor b = leaf(2.0, -3.0, 4.0);
        GradCheck.GradcheckError e = org.junit.jupiter.api.Assertions.assertThrows(GradCheck.GradcheckError.class,
                () -> GradCheck.gradcheck(in -> wrongMul(in[0], in[1]), a, b));
        assertThat(e.outputIndex()).isZero();
        assertThat(e.inputIndex()).isEqualTo(1);
        assertThat(e.inputElement()).isZero();
        assertThat(e.outputElement()).isZero();
        // ∂(a0 b0)/∂b0 = a0 = 0.5; the wrong backward says b0 = 2
        assertThat(e.numerical()).isCloseTo(0.5, within(1e-8));
        assertThat(e.analytical()).isEqualTo(2.0);
        assertThat(e.getMessage())
                .startsWith("Jacobian mismatch for output 0 with respect to input 1,")
                .contains("at output element 0 [0] and input element 0 [0]")
                .contains("analytical 2.0");
    }

    @Test
    void returnsFalseInsteadOfThrowingWhenAsked() {
        Tensor x = leaf(0.5, 1.0);
        GradCheck.Options quiet = GradCheck.Options.defaults().raiseException(false);
        assertThat(GradCheck.gradcheck(in -> wrongExp(in[0]), quiet, x)).isFalse();
        assertThat(GradCheck.gradcheck(in -> in[0].exp(), quiet, x)).isTrue();
    }

    @Test
    void tolerancesAreConfigurable() {
        // x·1.001 reported as x: relative error 1e-3 · |numerical| fails rtol 1e-4 but passes rtol 1e-2
        Tensor x = leaf(3.0);
        java.util.function.Function<Tensor[], Tensor> slightlyOff = in -> Graph.record(
                Kernels.binaryScalar(dev.jgrad.kernel.BinaryOp.MUL, in[0], 1.001, false, DType.FLOAT64),
                "SlightlyOff", "", inputs(in[0]), saved(), (g, s) -> grads(g));
        GradCheck.Options strict = GradCheck.Options.defaults().atol(0).rtol(1e-4).raiseException(false);
        assertThat(GradCheck.gradcheck(slightlyOff, strict, x)).isFalse();
        assertThat(GradCheck.gradcheck(slightlyOff, strict.rtol(1e-2), x)).isTrue();
        assertThat(GradCheck.gradcheck(slightlyOff, strict.rtol(0).atol(1e-2), x)).isTrue();
    }

    @Test
    void gradgradcheckReportsAMissingSecondDerivative() {
        Tensor x = leaf(0.5, -1.0);
        assertThat(GradCheck.gradcheck(in -> expWithoutDoubleBackward(in[0]), x)).isTrue();
        assertThatThrownBy(() -> GradCheck.gradgradcheck(in -> expWithoutDoubleBackward(in[0]), x))
                .isInstanceOf(GradCheck.GradcheckError.class)
                .hasMessageStartingWith("gradgradcheck: Jacobian mismatch for output 0 with respect to input 0,");
    }

    @Test
    void gradgradcheckAlsoDifferentiatesWithRespectToGradOutputs() {
        // a backward that detaches the incoming gradient: right first derivative, right ∂/∂x of
        // the vector-Jacobian product, but no dependence on the grad_output
        Tensor x = leaf(0.5, -1.0);
        java.util.function.Function<Tensor[], Tensor> fn = in -> {
            Tensor y = Kernels.unary(UnaryOp.EXP, in[0]);
            return Graph.record(y, "DetachedGradBackward", "", inputs(in[0]), saved(y), (g, s) -> grads(g.detach().mul(s[0])));
        };
        assertThat(GradCheck.gradcheck(fn, x)).isTrue();
        GradCheck.GradcheckError e = org.junit.jupiter.api.Assertions.assertThrows(GradCheck.GradcheckError.class,
                () -> GradCheck.gradgradcheck(fn, x));
        assertThat(e.inputIndex()).isEqualTo(1);
        assertThat(e.analytical()).isZero();
        assertThat(e.getMessage())
                .startsWith("gradgradcheck: Jacobian mismatch for output 0 with respect to input 1,")
                .contains("(input 1 is grad_output 0 of the function's vector-Jacobian product)");
    }

    @Test
    void rejectsInputsThatAreNotFloat64() {
        Tensor x = Tensor.fromFloats(new float[] {1, 2}, 2).requiresGrad_();
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> in[0].exp(), x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 0 requires grad but has dtype torch.float32")
                .hasMessageContaining("FLOAT64");
        Tensor d = leaf(1, 2);
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> in[0].mul(in[1]), d, x))
                .hasMessageContaining("input 1 requires grad but has dtype torch.float32");
    }

    @Test
    void rejectsFloat32OutputsAndInputsWithoutGrad() {
        Tensor x = leaf(1, 2);
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> in[0].to(DType.FLOAT32), x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output 0 has dtype torch.float32");
        Tensor c = Tensor.fromDoubles(new double[] {1, 2}, 2);
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> in[0].exp(), c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one input tensor to require gradient");
    }

    @Test
    void rejectsOverlappingAndNonLeafInputs() {
        Tensor expanded = Tensor.fromDoubles(new double[] {1, 2}, 2, 1).expand(2, 3).requiresGrad_();
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> in[0].exp(), expanded))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input 0")
                .hasMessageContaining("overlapping memory");
        Tensor nonLeaf = leaf(1, 2).mul(2.0);
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> in[0].exp(), nonLeaf))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a leaf");
    }

    @Test
    void passesConstantInputsThroughAndLeavesInputsUnchanged() {
        Tensor x = Tensor.fromDoubles(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 2, 3).t().detach().requiresGrad_();
        double[] before = x.toDoubleArray();
        Tensor mask = Tensor.fromBooleans(new boolean[] {true, false, true}, 3, 1);
        Tensor idx = Tensor.fromLongs(new long[] {1, 0, 1}, 3);
        assertThat(GradCheck.gradcheck(in -> in[0].maskedFill(in[1], 0.5).indexSelect(0, in[2]).sin(), x, mask, idx)).isTrue();
        assertThat(x.toDoubleArray()).containsExactly(before);
        assertThat(x.grad()).isNull();
    }

    @Test
    void checksEveryFloatingOutputOfAMultiOutputFunction() {
        Tensor x = leaf(0.5, 1.0, -0.25, 2.0);
        assertThat(GradCheck.gradcheckMulti(in -> new Tensor[] {in[0].exp(), in[0].argmax(), in[0].sin()}, x)).isTrue();
        assertThatThrownBy(() -> GradCheck.gradcheckMulti(in -> new Tensor[] {in[0].exp(), wrongExp(in[0])}, x))
                .hasMessageStartingWith("Jacobian mismatch for output 1 with respect to input 0,");
    }

    @Test
    void anOutputThatDoesNotRequireGradMustHaveAZeroNumericalJacobian() {
        Tensor x = leaf(0.5, 1.0);
        // exp computed outside the graph: analytically constant, numerically not
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> in[0].detach().exp(), x))
                .isInstanceOf(GradCheck.GradcheckError.class)
                .hasMessageContaining("analytical 0.0");
    }

    /** The explicit double-backward test: d²(x³)/dx² = 6x through Autograd.grad twice. */
    @Test
    void secondDerivativeOfCubeIsSixX() {
        Tensor x = leaf(-1.5, 0.25, 2.0);
        Tensor y = x.pow(3.0).sum();
        Tensor[] dy = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, true, true, false);
        assertThat(dy[0].requiresGrad()).isTrue();
        assertThat(dy[0].toDoubleArray()).containsExactly(new double[] {6.75, 0.1875, 12.0}, within(1e-12));
        Tensor[] d2y = Autograd.grad(new Tensor[] {dy[0].sum()}, new Tensor[] {x}, null, true, false, false);
        assertThat(d2y[0].toDoubleArray()).containsExactly(new double[] {-9.0, 1.5, 12.0}, within(1e-12));
    }

    /** The same through backward(createGraph = true): x.grad() is 3x², differentiable again. */
    @Test
    void backwardWithCreateGraphGivesADifferentiableGrad() {
        Tensor x = leaf(-1.5, 0.25, 2.0);
        x.pow(3.0).sum().backward(null, false, true);
        Tensor grad = x.grad();
        assertThat(grad.requiresGrad()).isTrue();
        assertThat(grad.toDoubleArray()).containsExactly(new double[] {6.75, 0.1875, 12.0}, within(1e-12));
        Tensor[] d2y = Autograd.grad(new Tensor[] {grad.sum()}, new Tensor[] {x}, null, false, false, false);
        assertThat(d2y[0].toDoubleArray()).containsExactly(new double[] {-9.0, 1.5, 12.0}, within(1e-12));
    }
}
