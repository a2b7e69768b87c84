package dev.jgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.DType;
import dev.jgrad.Jgrad;
import dev.jgrad.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Module.toString()} against {@code repr(module)} of real PyTorch 1.13. Goldens:
 * {@code src/test/resources/golden/repr/modules.json}, made by {@code generate.py} beside it,
 * whose MODULES table this class mirrors.
 */
class ModuleReprTest {
    private static final JsonNode GOLDEN = Golden.load("/golden/repr/modules.json");

    /** generate.py's Net: a custom module with a Sequential and two more children. */
    static final class Net extends Module {
        Net() {
            registerModule("encoder", new Sequential(new Linear(4, 8), new ReLU(), new Dropout(0.1)));
            registerModule("head", new Linear(8, 2, false));
            registerModule("act", new LogSoftmax(1));
        }
    }

    /** A custom module with both an extra repr and children. */
    static final class Block extends Module {
        private final int width;

        Block(int width) {
            this.width = width;
            registerModule("fc", new Linear(width, width));
            registerModule("norm_act", new GELU("tanh"));
        }

        @Override
        public String extraRepr() {
            return "width=" + width;
        }
    }

    /** Nested custom modules; its name comes from getName(), not the Java class. */
    static final class TowerModule extends Module {
        TowerModule() {
            registerModule("stem", new Block(3));
            registerModule("body", new Sequential(new Block(5), new Sequential(new Identity(), new Block(7))));
            registerModule("out", new Flatten(0, -1));
        }

        @Override
        public String getName() {
            return "Tower";
        }
    }

    static final class TwoLineExtra extends Module {
        @Override
        public String extraRepr() {
            return "alpha=1\nbeta=2";
        }
    }

    static final class Empty extends Module {
    }

    /** A model and its loss module as children. */
    static final class WithCriterion extends Module {
        WithCriterion() {
            registerModule("model", new Linear(3, 2));
            registerModule("criterion", new CrossEntropyLoss(null, -100, "mean", 0.05));
        }
    }

    private static final Map<String, Supplier<Module>> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put("linear", () -> new Linear(2, 3));
        MODULES.put("linear_no_bias", () -> new Linear(10, 1, false));
        MODULES.put("linear_big", () -> new Linear(784, 1000));
        MODULES.put("relu", ReLU::new);
        MODULES.put("sigmoid", Sigmoid::new);
        MODULES.put("tanh", Tanh::new);
        MODULES.put("leaky_relu_default", LeakyReLU::new);
        MODULES.put("leaky_relu_0.2", () -> new LeakyReLU(0.2));
        MODULES.put("leaky_relu_0.1", () -> new LeakyReLU(0.1));
        MODULES.put("leaky_relu_1e-5", () -> new LeakyReLU(1e-05));
        MODULES.put("leaky_relu_0.3333", () -> new LeakyReLU(1.0 / 3));
        MODULES.put("gelu", GELU::new);
        MODULES.put("gelu_tanh", () -> new GELU("tanh"));
        MODULES.put("softmax_1", () -> new Softmax(1));
        MODULES.put("softmax_neg1", () -> new Softmax(-1));
        MODULES.put("log_softmax_1", () -> new LogSoftmax(1));
        MODULES.put("log_softmax_neg1", () -> new LogSoftmax(-1));
        MODULES.put("dropout", Dropout::new);
        MODULES.put("dropout_0.3", () -> new Dropout(0.3));
        MODULES.put("dropout_0.0", () -> new Dropout(0.0));
        MODULES.put("dropout_0.1", () -> new Dropout(0.1));
        MODULES.put("dropout_1e-7", () -> new Dropout(1e-7));
        MODULES.put("identity", Identity::new);
        MODULES.put("flatten", Flatten::new);
        MODULES.put("flatten_0_2", () -> new Flatten(0, 2));
        MODULES.put("flatten_neg", () -> new Flatten(-3, -2));
        MODULES.put("sequential_empty", Sequential::new);
        MODULES.put("sequential_one", () -> new Sequential(new ReLU()));
        MODULES.put("sequential_mlp", () -> new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1), new Sigmoid()));
        MODULES.put("sequential_all", () -> new Sequential(
                new Flatten(), new Linear(4, 4), new LeakyReLU(0.2), new Dropout(0.3), new Linear(4, 4, false),
                new GELU("tanh"), new Tanh(), new Identity(), new Softmax(-1), new LogSoftmax(0)));
        MODULES.put("sequential_nested", () -> new Sequential(
                new Sequential(new Linear(2, 4), new Tanh()),
                new Sequential(new Sequential(new Linear(4, 4), new ReLU()), new Dropout(0.5)),
                new Linear(4, 1)));
        MODULES.put("sequential_empty_nested", () -> new Sequential(new Sequential(), new ReLU()));
        MODULES.put("sequential_long", () -> {
            List<Module> layers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                layers.add(new Linear(i + 1, i + 2));
            }
            return new Sequential(layers);
        });
        MODULES.put("custom_net", Net::new);
        MODULES.put("custom_tower", TowerModule::new);
        MODULES.put("custom_two_line_extra", TwoLineExtra::new);
        MODULES.put("custom_empty", Empty::new);
        MODULES.put("custom_in_sequential", () -> new Sequential(new Net(), new Sigmoid()));
        MODULES.put("bce_loss", BCELoss::new);
        MODULES.put("bce_loss_sum", () -> new BCELoss("sum"));
        MODULES.put("bce_with_logits_loss", BCEWithLogitsLoss::new);
        MODULES.put("bce_with_logits_loss_pos_weight",
                () -> new BCEWithLogitsLoss(null, Jgrad.tensor(new double[] {2.0}).to(DType.FLOAT32), "none"));
        MODULES.put("cross_entropy_loss", CrossEntropyLoss::new);
        MODULES.put("cross_entropy_loss_args",
                () -> new CrossEntropyLoss(Jgrad.tensor(new double[] {1.0, 2.0}).to(DType.FLOAT32), 1, "sum", 0.1));
        MODULES.put("mse_loss", MSELoss::new);
        MODULES.put("mse_loss_none", () -> new MSELoss("none"));
        MODULES.put("l1_loss", L1Loss::new);
        MODULES.put("nll_loss", NLLLoss::new);
        MODULES.put("nll_loss_weighted",
                () -> new NLLLoss(Jgrad.tensor(new double[] {0.5, 1.5}).to(DType.FLOAT32), 0, "sum"));
        MODULES.put("custom_with_criterion", WithCriterion::new);
    }

    static Stream<Arguments> cases() {
        return StreamSupport.stream(GOLDEN.get("cases").spliterator(), false)
                .map(c -> Arguments.of(c.get("name").asText(), c.get("repr").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reprMatchesPyTorch(String name, String expected) {
        Supplier<Module> make = MODULES.get(name);
        assertThat(make).as("jgrad module for %s", name).isNotNull();
        assertThat(make.get().toString()).isEqualTo(expected);
    }

    @Test
    void everyJgradCaseHasAGolden() {
        List<String> names = new ArrayList<>();
        GOLDEN.get("cases").forEach(c -> names.add(c.get("name").asText()));
        assertThat(GOLDEN.get("torch").asText()).startsWith("1.13");
        assertThat(names).containsExactlyElementsOf(MODULES.keySet());
    }
}
