package dev.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Parameter;
import dev.jgrad.testing.Golden;
import dev.jgrad.testing.TensorAssert;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 20-step trajectories of SGD, Adam and AdamW against real PyTorch 1.13
 * ({@code golden/optim/trajectories.json}, made by {@code generate.py} beside it).
 *
 * <p>Two replays per case:
 * <ul>
 *   <li>{@link #replaysPyTorchsGradientsBitForBit}: each step's gradients are PyTorch's own (or
 *       none, where PyTorch had none), so only the optimizer's arithmetic is under test; every
 *       parameter after every step must equal PyTorch's bit for bit.</li>
 *   <li>{@link #trainsLikePyTorch}: jgrad computes the losses and gradients itself; losses and
 *       parameters must stay within rtol 1e-6 after the first step, growing linearly to at most
 *       1e-5 at step 20 (float64: 1e-13 to 1e-12), with atol rtol / 10. These are not bit-exact
 *       because jgrad's gradients differ from PyTorch's by an ulp here and there (its matmul
 *       accumulates with FMAs; the reference BLAS that PyTorch 1.13 uses here does not).</li>
 * </ul>
 */
class OptimizerGoldenTest {
    private static final JsonNode ROOT = Golden.load("/golden/optim/trajectories.json");
    /**
     * Worst deviations per optimizer and dtype in the end-to-end replays, printed after all: the
     * largest |jgrad − PyTorch| of a parameter, and the largest relative one among elements of
     * magnitude ≥ 1e-3.
     */
    private static final Map<String, double[]> WORST = new TreeMap<>();

    static Stream<String> cases() {
        return StreamSupport.stream(ROOT.get("cases").spliterator(), false).map(c -> c.get("name").asText());
    }

    private static JsonNode caseNamed(String name) {
        for (JsonNode c : ROOT.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** The case's parameters at their initial values, in the problem's order. */
    private static Map<String, Parameter> initialParams(JsonNode problem) {
        Map<String, Parameter> params = new LinkedHashMap<>();
        for (JsonNode n : problem.get("param_order")) {
            params.put(n.asText(), new Parameter(Golden.tensor(problem.get("params").get(n.asText()))));
        }
        return params;
    }

    /** The optimizer as the case's constructor call and extra parameter groups describe it. */
    static Optimizer build(JsonNode c, Map<String, Parameter> params) {
        JsonNode o = c.get("options");
        List<List<Tensor>> groups = new ArrayList<>();
        for (JsonNode g : c.get("groups")) {
            List<Tensor> ps = new ArrayList<>();
            g.get("params").forEach(n -> ps.add(params.get(n.asText())));
            groups.add(ps);
        }
        String name = c.get("name").asText();
        List<Tensor> first = groups.get(0);
        double lr = o.get("lr").asDouble();
        Optimizer opt;
        switch (c.get("optimizer").asText()) {
            case "SGD":
                // sgd_plain also checks the lr-only constructor's defaults
                opt = name.equals("sgd_plain") ? new SGD(first, lr)
                        : new SGD(first, lr, o.get("momentum").asDouble(), o.get("dampening").asDouble(),
                                o.get("weight_decay").asDouble(), o.get("nesterov").asBoolean(),
                                o.get("maximize").asBoolean());
                break;
            case "Adam":
                opt = name.equals("adam_default") ? new Adam(first, lr)
                        : new Adam(first, lr, o.get("beta1").asDouble(), o.get("beta2").asDouble(),
                                o.get("eps").asDouble(), o.get("weight_decay").asDouble(), o.get("amsgrad").asBoolean(),
                                o.get("maximize").asBoolean());
                break;
            case "AdamW":
                opt = name.equals("adamw_default") ? new AdamW(first, lr)
                        : new AdamW(first, lr, o.get("beta1").asDouble(), o.get("beta2").asDouble(),
                                o.get("eps").asDouble(), o.get("weight_decay").asDouble(), o.get("amsgrad").asBoolean(),
                                o.get("maximize").asBoolean());
                break;
            default:
                throw new IllegalArgumentException(c.get("optimizer").asText());
        }
        for (int i = 1; i < groups.size(); i++) {
            ParamGroup g = new ParamGroup(groups.get(i));
            Iterator<Map.Entry<String, JsonNode>> it = c.get("groups").get(i).get("options").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isBoolean()) {
                    g.set(e.getKey(), e.getValue().asBoolean());
                } else {
                    g.set(e.getKey(), e.getValue().asDouble());
                }
            }
            opt.addParamGroup(g);
        }
        return opt;
    }

    /** The loss at 0-based step {@code step}, as generate.py's loss_fn. */
    static Tensor loss(JsonNode problem, Map<String, Parameter> p, int step) {
        JsonNode data = problem.get("data");
        switch (problem.get("kind").asText()) {
            case "mlp": {
                Tensor x = Golden.tensor(data.get("x"));
                Tensor y = Golden.tensor(data.get("y"));
                Tensor h = F.linear(x, p.get("0.weight"), p.get("0.bias"));
                h = problem.get("activation").asText().equals("tanh") ? F.tanh(h) : F.relu(h);
                Tensor out = F.linear(h, p.get("2.weight"), p.get("2.bias"));
                return problem.get("loss").asText().equals("mse") ? F.mseLoss(out, y) : F.crossEntropy(out, y);
            }
            case "rosenbrock": {
                Tensor x = p.get("x");
                int n = x.size(0);
                Tensor head = x.narrow(0, 0, n - 1);
                Tensor tail = x.narrow(0, 1, n - 1);
                return tail.sub(head.pow(2)).pow(2).mul(100).add(head.rsub(1).pow(2)).sum();
            }
            case "two_heads": {
                Tensor x = Golden.tensor(data.get("x"));
                Tensor y = Golden.tensor(data.get("y"));
                Tensor h = F.tanh(F.linear(x, p.get("trunk.weight"), p.get("trunk.bias")));
                String head = step % 2 == 0 ? "head_a" : "head_b";
                return F.mseLoss(F.linear(h, p.get(head + ".weight"), p.get(head + ".bias")), y);
            }
            default:
                throw new IllegalArgumentException(problem.get("kind").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replaysPyTorchsGradientsBitForBit(String name) {
        JsonNode c = caseNamed(name);
        JsonNode problem = ROOT.get("problems").get(c.get("problem").asText());
        Map<String, Parameter> params = initialParams(problem);
        Optimizer opt = build(c, params);
        boolean setToNone = c.get("zero_grad_set_to_none").asBoolean();
        int t = 0;
        for (JsonNode step : c.get("steps")) {
            t++;
            opt.zeroGrad(setToNone);
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                JsonNode g = step.get("grads").get(e.getKey());
                Tensor before = e.getValue().grad();
                if (g.isNull()) {
                    assertThat(before).as("step %d: %s has no grad in PyTorch", t, e.getKey()).isNull();
                } else {
                    if (before != null) {
                        assertThat(setToNone).as("zeroGrad(true) leaves no grads").isFalse();
                        assertThat(before.toDoubleArray()).as("zeroGrad(false) zeroes %s", e.getKey())
                                .containsOnly(0.0);
                    }
                    e.getValue().setGrad(Golden.tensor(g));
                }
            }
            setLrs(opt, step);
            opt.step();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                assertBitExact(e.getValue(), Golden.tensor(step.get("params").get(e.getKey())),
                        name + " step " + t + " " + e.getKey());
            }
        }
        assertThat(t).isEqualTo(ROOT.get("steps").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void trainsLikePyTorch(String name) {
        JsonNode c = caseNamed(name);
        JsonNode problem = ROOT.get("problems").get(c.get("problem").asText());
        Map<String, Parameter> params = initialParams(problem);
        Optimizer opt = build(c, params);
        boolean setToNone = c.get("zero_grad_set_to_none").asBoolean();
        boolean f64 = problem.get("dtype").asText().equals("float64");
        int steps = c.get("steps").size();
        double[] worst = new double[3];
        for (int t = 1; t <= steps; t++) {
            JsonNode step = c.get("steps").get(t - 1);
            // rtol 1e-6 after the first step up to 1e-5 after the 20th (float64: 1e-13 to 1e-12), atol rtol / 10
            double rtol = (f64 ? 1e-13 : 1e-6) * (1 + 9.0 * (t - 1) / (steps - 1));
            opt.zeroGrad(setToNone);
            Tensor loss = loss(problem, params, t - 1);
            loss.backward();
            double expectedLoss = Golden.number(step.get("loss"));
            assertThat(loss.item()).as("%s step %d: loss", name, t)
                    .isCloseTo(expectedLoss, org.assertj.core.data.Offset.offset(rtol * Math.abs(expectedLoss)));
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                assertThat(e.getValue().grad() == null).as("%s step %d: %s.grad is None", name, t, e.getKey())
                        .isEqualTo(step.get("grads").get(e.getKey()).isNull());
            }
            setLrs(opt, step);
            opt.step();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                Tensor expected = Golden.tensor(step.get("params").get(e.getKey()));
                TensorAssert.assertClose(e.getValue(), expected, rtol, rtol / 10, name + " step " + t + " " + e.getKey());
                accumulateDeviation(worst, e.getValue(), expected, rtol, rtol / 10);
            }
        }
        synchronized (WORST) {
            WORST.merge(c.get("optimizer").asText() + (f64 ? " float64" : " float32"), worst,
                    (a, b) -> new double[] {Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])});
        }
    }

    @AfterAll
    static void printWorstDeviations() {
        WORST.forEach((k, v) -> System.out.printf(
                "OptimizerGoldenTest end-to-end, %s: max |param - PyTorch| %.3g, max relative (|PyTorch| >= 1e-3) %.3g,"
                        + " at most %.0f%% of the tolerance%n", k, v[0], v[1], 100 * v[2]));
    }

    /** The golden file covers what it claims, so the replays above cannot pass vacuously. */
    @Test
    void goldenFileCoversEveryConfiguration() {
        assertThat(ROOT.get("torch_version").asText()).startsWith("1.13");
        List<String> names = cases().toList();
        assertThat(names).contains("sgd_plain", "sgd_momentum", "sgd_momentum_dampening", "sgd_nesterov",
                "sgd_weight_decay", "sgd_maximize", "sgd_f64", "sgd_two_groups", "sgd_none_grads", "adam_default",
                "adam_weight_decay", "adam_amsgrad", "adam_maximize", "adam_betas_eps", "adam_f64", "adam_two_groups",
                "adam_none_grads", "adamw_default", "adamw_custom_weight_decay", "adamw_amsgrad", "adamw_f64",
                "adamw_none_grads", "sgd_momentum_lr_decay", "adam_two_groups_lr_decay", "adamw_lr_decay");
        // the lr-decay cases change every group's lr between steps
        JsonNode decaying = caseNamed("adam_two_groups_lr_decay").get("steps");
        assertThat(decaying.get(0).get("lrs")).hasSize(2);
        assertThat(Golden.number(decaying.get(5).get("lrs").get(0))).isLessThan(Golden.number(decaying.get(4).get("lrs").get(0)));
        for (JsonNode c : ROOT.get("cases")) {
            assertThat(c.get("steps")).as(c.get("name").asText()).hasSize(20);
            // parameters move at every step (except those without gradients)
            JsonNode last = c.get("steps").get(19).get("params");
            JsonNode init = ROOT.get("problems").get(c.get("problem").asText()).get("params");
            assertThat(last.toString()).as(c.get("name").asText()).isNotEqualTo(init.toString());
        }
        // the None-gradient cases do skip parameters in some steps
        JsonNode steps = caseNamed("adam_none_grads").get("steps");
        assertThat(steps.get(0).get("grads").get("head_b.weight").isNull()).isTrue();
        assertThat(steps.get(1).get("grads").get("head_b.weight").isNull()).isFalse();
        assertThat(steps.get(1).get("grads").get("head_a.weight").isNull()).isTrue();
    }

    /** In the lr_decay cases: every group's lr as PyTorch's had it at this step (set between steps, as a scheduler does). */
    private static void setLrs(Optimizer opt, JsonNode step) {
        JsonNode lrs = step.get("lrs");
        if (lrs != null) {
            for (int g = 0; g < lrs.size(); g++) {
                opt.paramGroups().get(g).set("lr", Golden.number(lrs.get(g)));
            }
        }
    }

    private static void accumulateDeviation(double[] worst, Tensor actual, Tensor expected, double rtol, double atol) {
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            worst[0] = Math.max(worst[0], d);
            worst[2] = Math.max(worst[2], d / (atol + rtol * Math.abs(e[i])));
            if (Math.abs(e[i]) >= 1e-3) {
                worst[1] = Math.max(worst[1], d / Math.abs(e[i]));
            }
        }
    }

    private static void assertBitExact(Tensor actual, Tensor expected, String what) {
        assertThat(actual.dtype()).as(what).isEqualTo(expected.dtype());
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        assertThat(a).as(what).hasSameSizeAs(e);
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(e[i])) {
                double ulp = expected.dtype() == DType.FLOAT32 ? Math.ulp((float) e[i]) : Math.ulp(e[i]);
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", PyTorch has " + e[i] + " ("
                        + (a[i] - e[i]) / ulp + " ulp)");
            }
        }
    }
}
