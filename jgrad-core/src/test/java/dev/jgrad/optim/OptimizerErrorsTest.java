package dev.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Constructor and parameter-group validation with PyTorch 1.13's messages and precedence (each
 * expectation below is what torch.optim printed for the same call), zeroGrad semantics and
 * per-parameter state.
 */
class OptimizerErrorsTest {
    private static final double NAN = Double.NaN;

    private static Tensor param(double... values) {
        return Jgrad.tensor(values).requiresGrad_();
    }

    private static final List<Tensor> P = List.of(param(1, 2, 3));

    private static void valueError(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    // ------------------------------------------------------------------ SGD

    @Test
    void sgdRejectsNegativeHyperparameters() {
        valueError(() -> new SGD(P, -0.1), "Invalid learning rate: -0.1");
        valueError(() -> new SGD(P, -1e-5), "Invalid learning rate: -1e-05");
        valueError(() -> new SGD(P, -0.0001), "Invalid learning rate: -0.0001");
        valueError(() -> new SGD(P, 0.1, -0.5, 0, 0, false, false), "Invalid momentum value: -0.5");
        valueError(() -> new SGD(P, 0.1, 0, 0, -1e-4, false, false), "Invalid weight_decay value: -0.0001");
        valueError(() -> new SGD(P, 1e16, 0, 0, -123456789.0, false, false), "Invalid weight_decay value: -123456789.0");
    }

    @Test
    void sgdNesterovNeedsMomentumAndNoDampening() {
        String msg = "Nesterov momentum requires a momentum and zero dampening";
        valueError(() -> new SGD(P, 0.1, 0, 0, 0, true, false), msg);
        valueError(() -> new SGD(P, 0.1, 0.9, 0.1, 0, true, false), msg);
        valueError(() -> new SGD(P, 0.1, 0.9, NAN, 0, true, false), msg);
        assertThatCode(() -> new SGD(P, 0.1, 0.9, 0, 0, true, false)).doesNotThrowAnyException();
    }

    @Test
    void sgdChecksInPyTorchsOrderAndBeforeTheParameters() {
        valueError(() -> new SGD(P, -0.1, -1, 0, 0, false, false), "Invalid learning rate: -0.1");
        valueError(() -> new SGD(P, 0.1, -1, 0, -1, false, false), "Invalid momentum value: -1.0");
        valueError(() -> new SGD(P, 0.1, -1, 0, 0, true, false), "Invalid momentum value: -1.0");
        valueError(() -> new SGD(List.of(), -0.1), "Invalid learning rate: -0.1");
        valueError(() -> new SGD(List.of(), 0.1), "optimizer got an empty parameter list");
    }

    @Test
    void sgdAcceptsWhatPyTorchAccepts() {
        // SGD tests `x < 0.0`, so NaN passes; dampening is not checked at all; -0.0 is not negative
        assertThatCode(() -> new SGD(P, NAN)).doesNotThrowAnyException();
        assertThatCode(() -> new SGD(P, 0.1, NAN, 0, NAN, false, false)).doesNotThrowAnyException();
        assertThatCode(() -> new SGD(P, 0.1, 0, -1, 0, false, false)).doesNotThrowAnyException();
        assertThatCode(() -> new SGD(P, -0.0)).doesNotThrowAnyException();
        assertThatCode(() -> new SGD(P, 0)).doesNotThrowAnyException();
    }

    // ------------------------------------------------------------------ Adam and AdamW

    interface AdamCtor {
        Optimizer make(List<Tensor> params, double lr, double beta1, double beta2, double eps, double wd);
    }

    private static AdamCtor ctor(String which) {
        return which.equals("Adam")
                ? (ps, lr, b1, b2, eps, wd) -> new Adam(ps, lr, b1, b2, eps, wd, false, false)
                : (ps, lr, b1, b2, eps, wd) -> new AdamW(ps, lr, b1, b2, eps, wd, false, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Adam", "AdamW"})
    void adamRejectsInvalidHyperparameters(String which) {
        AdamCtor c = ctor(which);
        valueError(() -> c.make(P, -0.1, 0.9, 0.999, 1e-8, 0), "Invalid learning rate: -0.1");
        valueError(() -> c.make(P, NAN, 0.9, 0.999, 1e-8, 0), "Invalid learning rate: nan");
        valueError(() -> c.make(P, 1e-3, 0.9, 0.999, -1e-8, 0), "Invalid epsilon value: -1e-08");
        valueError(() -> c.make(P, 1e-3, 0.9, 0.999, NAN, 0), "Invalid epsilon value: nan");
        valueError(() -> c.make(P, 1e-3, 1.0, 0.999, 1e-8, 0), "Invalid beta parameter at index 0: 1.0");
        valueError(() -> c.make(P, 1e-3, -0.1, 0.999, 1e-8, 0), "Invalid beta parameter at index 0: -0.1");
        valueError(() -> c.make(P, 1e-3, 0.9, 1.0, 1e-8, 0), "Invalid beta parameter at index 1: 1.0");
        valueError(() -> c.make(P, 1e-3, 0.9, 1.5, 1e-8, 0), "Invalid beta parameter at index 1: 1.5");
        valueError(() -> c.make(P, 1e-3, 0.9, NAN, 1e-8, 0), "Invalid beta parameter at index 1: nan");
        valueError(() -> c.make(P, 1e-3, 0.9, 0.999, 1e-8, -0.01), "Invalid weight_decay value: -0.01");
        valueError(() -> c.make(P, 1e-3, 0.9, 0.999, 1e-8, NAN), "Invalid weight_decay value: nan");
        assertThatCode(() -> c.make(P, 1e-20, 0, 0, 1e-30, 0)).doesNotThrowAnyException();
        assertThatCode(() -> c.make(P, 0, 0.9, 0.999, 0, 0)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Adam", "AdamW"})
    void adamChecksInPyTorchsOrderAndBeforeTheParameters(String which) {
        AdamCtor c = ctor(which);
        valueError(() -> c.make(P, -1, 0.9, 0.999, -1, 0), "Invalid learning rate: -1.0");
        valueError(() -> c.make(P, 1e-3, 2, 2, -1, 0), "Invalid epsilon value: -1.0");
        valueError(() -> c.make(P, 1e-3, 2, 2, 1e-8, -1), "Invalid beta parameter at index 0: 2.0");
        valueError(() -> c.make(List.of(), -1, 0.9, 0.999, 1e-8, 0), "Invalid learning rate: -1.0");
        valueError(() -> c.make(List.of(), 1e-3, 0.9, 0.999, 1e-8, 0), "optimizer got an empty parameter list");
    }

    @Test
    void shortConstructorsHavePyTorchsDefaults() {
        assertThat(new SGD(P, 0.1).paramGroups().get(0).options()).containsEntry("lr", 0.1)
                .containsEntry("momentum", 0.0).containsEntry("dampening", 0.0).containsEntry("weight_decay", 0.0)
                .containsEntry("nesterov", 0.0).containsEntry("maximize", 0.0);
        assertThat(new Adam(P, 1e-3).defaults()).containsEntry("lr", 1e-3).containsEntry("beta1", 0.9)
                .containsEntry("beta2", 0.999).containsEntry("eps", 1e-8).containsEntry("weight_decay", 0.0)
                .containsEntry("amsgrad", 0.0).containsEntry("maximize", 0.0);
        assertThat(new AdamW(P, 1e-3).defaults()).containsEntry("weight_decay", 1e-2).containsEntry("beta2", 0.999);
    }

    // ------------------------------------------------------------------ parameters and groups

    @Test
    void nonLeafParametersAreRejectedUnlessTheyRetainGrad() {
        Tensor p = param(1, 2);
        Tensor nonLeaf = p.mul(2);
        valueError(() -> new SGD(List.of(p, nonLeaf), 0.1), "can't optimize a non-leaf Tensor");
        valueError(() -> new Adam(List.of(nonLeaf), 0.1), "can't optimize a non-leaf Tensor");
        valueError(() -> new AdamW(List.of(nonLeaf), 0.1), "can't optimize a non-leaf Tensor");
        // PyTorch: `not (param.is_leaf or param.retains_grad)`
        Tensor retained = p.mul(3).retainGrad();
        assertThatCode(() -> new SGD(List.of(retained), 0.1)).doesNotThrowAnyException();
        // a leaf that does not require grad (a frozen parameter) is fine
        assertThatCode(() -> new SGD(List.of(Jgrad.tensor(new double[] {1})), 0.1)).doesNotThrowAnyException();
    }

    @Test
    void aParameterMayBeInOnlyOneGroup() {
        Tensor p = param(1, 2);
        Tensor q = param(3);
        SGD sgd = new SGD(List.of(p), 0.1);
        valueError(() -> sgd.addParamGroup(new ParamGroup(List.of(p))),
                "some parameters appear in more than one parameter group");
        Adam adam = new Adam(List.of(p, q), 1e-3);
        valueError(() -> adam.addParamGroup(new ParamGroup(List.of(q))),
                "some parameters appear in more than one parameter group");
        // PyTorch checks for non-leaf tensors first
        valueError(() -> sgd.addParamGroup(new ParamGroup(List.of(p, p.mul(2)))), "can't optimize a non-leaf Tensor");
        assertThat(sgd.paramGroups()).hasSize(1);
        assertThat(adam.paramGroups()).hasSize(1);
    }

    @Test
    void addedGroupsTakeTheDefaultsTheyDoNotSet() {
        Tensor p = param(1);
        Tensor q = param(2);
        SGD sgd = new SGD(List.of(p), 0.1, 0.9, 0, 0, false, false);
        sgd.addParamGroup(new ParamGroup(List.of(q)).set("lr", 0.01).set("nesterov", true));
        ParamGroup g = sgd.paramGroups().get(1);
        assertThat(g.get("lr")).isEqualTo(0.01);
        assertThat(g.flag("nesterov")).isTrue();
        assertThat(g.get("momentum")).isEqualTo(0.9);
        assertThat(sgd.paramGroups().get(0).get("lr")).isEqualTo(0.1);
    }

    // ------------------------------------------------------------------ zeroGrad

    private static Tensor quadraticLoss(Tensor p) {
        return p.mul(p).sum();
    }

    @Test
    void zeroGradSetsGradsToNull() {
        Tensor p = param(1, -2);
        Tensor unused = param(5);
        Adam opt = new Adam(List.of(p, unused), 0.1);
        quadraticLoss(p).backward();
        assertThat(p.grad()).isNotNull();
        opt.zeroGrad();
        assertThat(p.grad()).isNull();
        assertThat(unused.grad()).isNull();
    }

    @Test
    void zeroGradFalseZeroesTheSameTensorInPlace() {
        Tensor p = param(1, -2);
        Tensor unused = param(5);
        SGD opt = new SGD(List.of(p, unused), 0.1);
        quadraticLoss(p).backward();
        Tensor g = p.grad();
        int version = g.storageVersion();
        opt.zeroGrad(false);
        assertThat(p.grad()).isSameAs(g);
        assertThat(g.toDoubleArray()).containsExactly(0.0, 0.0);
        assertThat(g.storageVersion()).isGreaterThan(version);
        assertThat(unused.grad()).as("a parameter without grad keeps none").isNull();
        // the next backward accumulates into zeros
        quadraticLoss(p).backward();
        assertThat(p.grad().toDoubleArray()).containsExactly(2.0, -4.0);
    }

    @Test
    void zeroGradFalseCutsAGradThatHasAGraph() {
        Tensor p = param(1, -2);
        SGD opt = new SGD(List.of(p), 0.1);
        quadraticLoss(p).backward(null, false, true); // create_graph: p.grad has a grad_fn
        assertThat(p.grad().gradFn()).isNotNull();
        opt.zeroGrad(false);
        // PyTorch: p.grad.detach_(), then zero_()
        assertThat(p.grad().gradFn()).isNull();
        assertThat(p.grad().requiresGrad()).isFalse();
        assertThat(p.grad().toDoubleArray()).containsExactly(0.0, 0.0);
        // a leaf gradient that requires grad: PyTorch's p.grad.requires_grad_(False), then zero_()
        Tensor q = param(1);
        Tensor g = param(5);
        q.setGrad(g);
        new SGD(List.of(q), 0.1).zeroGrad(false);
        assertThat(q.grad()).isSameAs(g);
        assertThat(g.requiresGrad()).isFalse();
        assertThat(g.toDoubleArray()).containsExactly(0.0);
    }

    // ------------------------------------------------------------------ state

    @Test
    void adamKeepsStatePerParameterAndOnlyForThoseWithGrads() {
        Tensor p = param(1, -2);
        Tensor q = param(3);
        Tensor idle = param(7);
        Adam opt = new Adam(List.of(p, q, idle), 0.1);
        assertThat(opt.stateOf(p)).isNull();
        p.setGrad(Jgrad.tensor(new double[] {1, 2}));
        q.setGrad(Jgrad.tensor(new double[] {4}));
        opt.step();
        opt.zeroGrad();
        p.setGrad(Jgrad.tensor(new double[] {1, 2}));
        opt.step();
        Adam.State sp = (Adam.State) opt.stateOf(p);
        Adam.State sq = (Adam.State) opt.stateOf(q);
        assertThat(sp).isNotSameAs(sq);
        assertThat(sp.step()).isEqualTo(2);
        assertThat(sq.step()).as("q had no grad in the second step").isEqualTo(1);
        // exp_avg = 0.9 * 0 + 0.1 * g after one step (float32 0.1f * g); PyTorch: tensor([0.4000])
        assertThat(sq.expAvg()).containsExactly((double) (0.1f * 4f));
        assertThat(sq.expAvgSq()).containsExactly((double) ((float) (1 - 0.999) * 4f * 4f));
        assertThat(sq.maxExpAvgSq()).as("no amsgrad").isNull();
        assertThat(opt.stateOf(idle)).as("never had a grad").isNull();
        assertThat(idle.toDoubleArray()).containsExactly(7.0);
    }

    @Test
    void sgdMomentumBufferStartsAsACopyOfTheGradient() {
        Tensor p = param(1, -2, 3);
        SGD opt = new SGD(List.of(p), 0.1, 0.9, 0, 0, false, false);
        quadraticLoss(p).backward();
        opt.step();
        SGD.State st = (SGD.State) opt.stateOf(p);
        assertThat(st.momentumBuffer()).containsExactly(2.0, -4.0, 6.0);
        p.grad().add_(1.0);
        assertThat(st.momentumBuffer()).as("not an alias of the gradient").containsExactly(2.0, -4.0, 6.0);
        Tensor r = param(1);
        SGD plain = new SGD(List.of(r), 0.1);
        quadraticLoss(r).backward();
        plain.step();
        // PyTorch: {'momentum_buffer': None}
        assertThat(((SGD.State) plain.stateOf(r)).momentumBuffer()).isNull();
    }

    @Test
    void stepBumpsTheVersionAsPyTorchsInPlaceUpdatesDo() {
        // param.add_ (SGD), param.addcdiv_ (Adam), param.mul_ and param.addcdiv_ (AdamW)
        int[] expected = {1, 1, 2};
        for (int k = 0; k < 3; k++) {
            Tensor w = param(1, 2);
            List<Tensor> ps = List.of(w);
            Optimizer opt = k == 0 ? new SGD(ps, 0.1) : k == 1 ? new Adam(ps, 0.1) : new AdamW(ps, 0.1);
            Tensor loss = quadraticLoss(w); // saves w
            loss.backward(null, true, false);
            int before = w.storageVersion();
            opt.step();
            assertThat(w.storageVersion() - before).as(opt.getClass().getSimpleName()).isEqualTo(expected[k]);
            assertThatThrownBy(() -> loss.backward()).as(opt.getClass().getSimpleName())
                    .hasMessageContaining("modified by an inplace operation")
                    .hasMessageContaining("is at version " + (before + expected[k]) + "; expected version " + before);
        }
        // no grad, no update, no version change
        Tensor idle = param(1);
        int idleVersion = idle.storageVersion();
        new SGD(List.of(idle), 0.1).step();
        assertThat(idle.storageVersion()).isEqualTo(idleVersion);
    }
}
