package dev.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.io.Safetensors;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Tanh;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Resuming from an optimizer's state dict (through a safetensors file) continues exactly as an
 * uninterrupted run: same weights bit for bit.
 */
class OptimizerStateDictTest {
    private static final Tensor X = Jgrad.rand(new Generator(1), 5, 3);
    private static final Tensor Y = Jgrad.rand(new Generator(2), 5, 2);

    private static Sequential model() {
        Jgrad.manualSeed(7);
        return new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2));
    }

    private static void train(Sequential m, Optimizer opt, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            F.mseLoss(m.forward(X), Y).backward();
            opt.step();
        }
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd momentum nesterov", (Function<List<? extends Tensor>, Optimizer>)
                        p -> new SGD(p, 0.1, 0.9, 0, 0.01, true, false)),
                Arguments.of("sgd plain", (Function<List<? extends Tensor>, Optimizer>) p -> new SGD(p, 0.1)),
                Arguments.of("adam amsgrad", (Function<List<? extends Tensor>, Optimizer>)
                        p -> new Adam(p, 0.05, 0.8, 0.99, 1e-8, 0.01, true, false)),
                Arguments.of("adamw", (Function<List<? extends Tensor>, Optimizer>) p -> new AdamW(p, 0.05)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumedRunEqualsUninterruptedRun(String name, Function<List<? extends Tensor>, Optimizer> make) throws Exception {
        Sequential straight = model();
        train(straight, make.apply(straight.parameters()), 6);

        Sequential first = model();
        Optimizer opt = make.apply(first.parameters());
        train(first, opt, 3);
        byte[] weights = Safetensors.serialize(first.stateDict(), Map.of());
        byte[] optState = Safetensors.serialize(opt.stateDict(), Map.of());

        Sequential resumed = model();
        resumed.loadStateDict(Safetensors.deserialize(weights, "weights").tensors());
        Optimizer opt2 = make.apply(resumed.parameters());
        opt2.loadStateDict(Safetensors.deserialize(optState, "optimizer").tensors());
        train(resumed, opt2, 3);

        for (Map.Entry<String, Tensor> e : straight.stateDict().entrySet()) {
            assertThat(resumed.stateDict().get(e.getKey()).toDoubleArray()).as(e.getKey()).containsExactly(e.getValue().toDoubleArray());
        }
    }

    @Test
    void stateDictUsesPyTorchsNames() {
        Sequential m = model();
        Adam opt = new Adam(m.parameters(), 0.01);
        train(m, opt, 1);
        Map<String, Tensor> sd = opt.stateDict();
        assertThat(sd).containsKeys("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.3.exp_avg",
                "param_groups.0.params", "param_groups.0.lr", "param_groups.0.beta1");
        assertThat(sd.get("param_groups.0.params").toLongArray()).containsExactly(0, 1, 2, 3);
        assertThat(sd.get("state.0.step").item()).isEqualTo(1.0);
        assertThat(sd.get("param_groups.0.lr").item()).isEqualTo(0.01);
    }

    @Test
    void mismatchedStateDictsAreRejected() {
        Sequential m = model();
        Adam opt = new Adam(m.parameters(), 0.01);
        train(m, opt, 1);
        Map<String, Tensor> sd = opt.stateDict();
        Adam fewer = new Adam(m.parameters().subList(0, 2), 0.01);
        assertThatThrownBy(() -> fewer.loadStateDict(sd)).hasMessageStartingWith(
                "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
        Sequential other = new Sequential(new Linear(3, 5), new Tanh(), new Linear(5, 2));
        Adam wrongShapes = new Adam(other.parameters(), 0.01);
        assertThatThrownBy(() -> wrongShapes.loadStateDict(sd)).hasMessageContaining("has shape [4, 3] but the parameter has shape [5, 3]");
        SGD sgd = new SGD(m.parameters(), 0.1);
        assertThatThrownBy(() -> sgd.loadStateDict(sd)).hasMessageContaining("momentum_buffer");
    }
}
