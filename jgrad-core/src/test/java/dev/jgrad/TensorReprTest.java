package dev.jgrad;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Parameter;
import dev.jgrad.testing.Golden;
import dev.jgrad.testing.TensorAssert;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Tensor.toString()} against {@code repr(tensor)} of real PyTorch 1.13, character for
 * character. Goldens: {@code src/test/resources/golden/repr/tensors.json}, made by
 * {@code generate.py} beside it.
 */
class TensorReprTest {
    private static final JsonNode GOLDEN = Golden.load("/golden/repr/tensors.json");

    /** jgrad's counterpart of each op key of generate.py's OPS table. */
    private static final Map<String, Function<Tensor[], Tensor>> OPS = Map.ofEntries(
            Map.entry("add", x -> x[0].add(x[1])),
            Map.entry("add_one_grad", x -> x[0].add(x[1])),
            Map.entry("add_alpha", x -> x[0].add(x[1], 2.0)),
            Map.entry("add_scalar", x -> x[0].add(2.5)),
            Map.entry("sub", x -> x[0].sub(x[1])),
            Map.entry("sub_scalar", x -> x[0].sub(1.5)),
            Map.entry("rsub_scalar", x -> x[0].rsub(1.0)),
            Map.entry("mul", x -> x[0].mul(x[1])),
            Map.entry("mul_scalar", x -> x[0].mul(2.0)),
            Map.entry("div", x -> x[0].div(x[1])),
            Map.entry("div_scalar", x -> x[0].div(4.0)),
            Map.entry("pow_scalar", x -> x[0].pow(2.0)),
            Map.entry("pow_tensor", x -> x[0].pow(x[1])),
            Map.entry("neg", x -> x[0].neg()),
            Map.entry("exp", x -> x[0].exp()),
            Map.entry("log", x -> x[0].log()),
            Map.entry("sqrt", x -> x[0].sqrt()),
            Map.entry("abs", x -> x[0].abs()),
            Map.entry("sigmoid", x -> x[0].sigmoid()),
            Map.entry("tanh", x -> x[0].tanh()),
            Map.entry("relu", x -> x[0].relu()),
            Map.entry("leaky_relu", x -> F.leakyRelu(x[0], 0.2)),
            Map.entry("gelu", x -> F.gelu(x[0])),
            Map.entry("gelu_tanh", x -> F.gelu(x[0], "tanh")),
            Map.entry("softmax", x -> x[0].softmax(1)),
            Map.entry("log_softmax", x -> x[0].logSoftmax(1)),
            Map.entry("clamp", x -> x[0].clamp(-0.5, 0.5)),
            Map.entry("clamp_min", x -> x[0].clampMin(0.0)),
            Map.entry("clamp_max", x -> x[0].clampMax(0.0)),
            Map.entry("rdiv_scalar", x -> x[0].rdiv(2.0)),
            Map.entry("rpow_scalar", x -> x[0].rpow(2.0)),
            Map.entry("maximum", x -> Jgrad.maximum(x[0], x[1])),
            Map.entry("where", x -> Jgrad.where(x[0].gt(x[1]), x[0], x[1])),
            Map.entry("sum", x -> x[0].sum()),
            Map.entry("sum_dim", x -> x[0].sum(1)),
            Map.entry("mean", x -> x[0].mean()),
            Map.entry("mean_dim", x -> x[0].mean(0)),
            Map.entry("max", x -> x[0].max()),
            Map.entry("max_dim", x -> x[0].max(1).values()),
            Map.entry("logsumexp", x -> x[0].logsumexp(1, false)),
            Map.entry("t", x -> x[0].t()),
            Map.entry("transpose", x -> x[0].transpose(0, 1)),
            Map.entry("permute", x -> x[0].permute(1, 0)),
            Map.entry("unsqueeze", x -> x[0].unsqueeze(0)),
            Map.entry("squeeze", x -> x[0].unsqueeze(1).squeeze()),
            Map.entry("view", x -> x[0].view(3, 2)),
            Map.entry("reshape", x -> x[0].reshape(3, 2)),
            Map.entry("reshape_copy", x -> x[0].t().reshape(6)),
            Map.entry("flatten", x -> x[0].flatten()),
            Map.entry("select", x -> x[0].select(0, 1)),
            Map.entry("narrow", x -> x[0].narrow(1, 1, 2)),
            Map.entry("expand", x -> x[0].expand(2, 4)),
            Map.entry("clone", x -> x[0].clone()),
            Map.entry("contiguous_t", x -> x[0].t().contiguous()),
            Map.entry("to_float64", x -> x[0].to(DType.FLOAT64)),
            Map.entry("to_float32", x -> x[0].to(DType.FLOAT32)),
            Map.entry("mm", x -> x[0].mm(x[1])),
            Map.entry("matmul_vec", x -> x[0].matmul(x[1].narrow(0, 0, 3))),
            Map.entry("matmul_vm", x -> x[0].matmul(x[1])),
            Map.entry("dot", x -> x[0].matmul(x[1])),
            Map.entry("matmul_3d_2d", x -> x[0].matmul(x[1])),
            Map.entry("matmul_3d_1d", x -> x[0].matmul(x[1])),
            Map.entry("matmul_batched", x -> x[0].matmul(x[1])),
            Map.entry("linear", x -> F.linear(x[0], x[1], x[2])),
            Map.entry("linear_3d", x -> F.linear(x[0], x[1], x[2])),
            Map.entry("linear_3d_no_bias", x -> F.linear(x[0], x[1], null)),
            Map.entry("linear_1d", x -> F.linear(x[0], x[1], x[2])),
            Map.entry("linear_no_bias", x -> F.linear(x[0], x[1], null)),
            Map.entry("cat", x -> Jgrad.cat(List.of(x[0], x[1]))),
            Map.entry("stack", x -> Jgrad.stack(List.of(x[0], x[1]))),
            Map.entry("gather", x -> x[0].gather(1, x[1])),
            Map.entry("index_select", x -> x[0].indexSelect(1, x[1])),
            Map.entry("split", x -> x[0].split(2, 1).get(0)),
            Map.entry("chunk", x -> x[0].chunk(3, 1).get(1)),
            Map.entry("masked_fill", x -> x[0].maskedFill(x[1].gt(0.0), 0.0)),
            Map.entry("mse_loss", x -> F.mseLoss(x[0], x[1])),
            Map.entry("dropout_p1", x -> F.dropout(x[0], 1.0, true)),
            Map.entry("dropout_eval", x -> F.dropout(x[0], 0.5, false)),
            Map.entry("float64_op", x -> x[0].mul(2.0)),
            Map.entry("no_grad_inputs", x -> x[0].add(x[1])),
            Map.entry("transposed_view", x -> x[0].t()),
            Map.entry("strided_select", x -> x[0].select(1, 2)),
            Map.entry("scalar_sum_f64", x -> x[0].sum()),
            Map.entry("sum_int64", x -> x[0].sum()),
            Map.entry("compare_bool", x -> x[0].gt(x[1])));

    private PrintOptions saved;

    @BeforeEach
    void saveOptions() {
        saved = PrintOptions.get();
    }

    @AfterEach
    void restoreOptions() {
        PrintOptions.set(saved);
    }

    static Stream<Arguments> cases() {
        return StreamSupport.stream(GOLDEN.get("cases").spliterator(), false)
                .map(c -> Arguments.of(c.get("name").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reprMatchesPyTorch(String name, JsonNode c) {
        Tensor t = build(c);
        PrintOptions.set(options(c.get("options")));
        assertThat(t.toString()).as(name).isEqualTo(c.get("repr").asText());
    }

    static Stream<Arguments> opCasesWithGradients() {
        return StreamSupport.stream(GOLDEN.get("cases").spliterator(), false)
                .filter(c -> c.has("grads"))
                .map(c -> Arguments.of(c.get("name").asText(), c));
    }

    /**
     * The ops built for the reprs have PyTorch's gradients too: the grad_fn names above come
     * from nodes whose backward must still be right (several were renamed or fused to match).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("opCasesWithGradients")
    void gradientsOfOpCasesMatchPyTorch(String name, JsonNode c) {
        JsonNode in = c.get("inputs");
        Tensor[] inputs = new Tensor[in.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = leaf(in.get(i), in.get(i).get("requires_grad").asBoolean());
        }
        Tensor out = OPS.get(c.get("op").asText()).apply(inputs);
        out.backward(leaf(c.get("upstream"), false));
        for (int i = 0; i < inputs.length; i++) {
            JsonNode expected = c.get("grads").get(i);
            if (expected.isNull()) {
                assertThat(inputs[i].grad()).as("%s: grad of input %d", name, i).isNull();
            } else {
                assertThat(inputs[i].grad()).as("%s: grad of input %d", name, i).isNotNull();
                double tol = expected.get("dtype").asText().equals("float64") ? 1e-10 : 1e-5;
                TensorAssert.assertClose(inputs[i].grad(), leaf(expected, false), tol, tol / 10, name + ": grad of input " + i);
            }
        }
    }

    /** The golden set is what generate.py promises: guards against an empty or truncated file. */
    @Test
    void goldenCoversTheIntendedCases() {
        JsonNode cases = GOLDEN.get("cases");
        assertThat(GOLDEN.get("torch").asText()).startsWith("1.13");
        assertThat(cases.size()).isGreaterThan(500);
        Set<String> names = new HashSet<>();
        Set<String> ops = new HashSet<>();
        int summarized = 0;
        int withGradFn = 0;
        int sci = 0;
        for (JsonNode c : cases) {
            assertThat(names.add(c.get("name").asText())).as("duplicate %s", c.get("name")).isTrue();
            String repr = c.get("repr").asText();
            summarized += repr.contains("...") ? 1 : 0;
            withGradFn += repr.contains("grad_fn=<") ? 1 : 0;
            sci += repr.contains("e-") || repr.contains("e+") ? 1 : 0;
            if (c.get("kind").asText().equals("op")) {
                ops.add(c.get("op").asText());
            }
        }
        assertThat(ops).as("every op of the golden has a jgrad counterpart and vice versa").isEqualTo(OPS.keySet());
        assertThat(summarized).isGreaterThan(20);
        assertThat(withGradFn).isGreaterThan(60);
        assertThat(sci).isGreaterThan(50);
    }

    /** PrintOptions.set affects toString, and the options are really read from the golden entry. */
    @Test
    void printOptionsChangeTheRepr() {
        Tensor t = Jgrad.tensor(new double[] {1.0 / 3, 2.0}).to(DType.FLOAT32);
        assertThat(t.toString()).isEqualTo("tensor([0.3333, 2.0000])");
        PrintOptions.set(PrintOptions.defaults().withPrecision(2));
        assertThat(t.toString()).isEqualTo("tensor([0.33, 2.00])");
        PrintOptions.set(PrintOptions.defaults().withSciMode(true));
        assertThat(t.toString()).isEqualTo("tensor([3.3333e-01, 2.0000e+00])");
    }

    static PrintOptions options(JsonNode o) {
        PrintOptions p = PrintOptions.defaults();
        if (o.has("precision")) {
            p = p.withPrecision(o.get("precision").asInt());
        }
        if (o.has("threshold")) {
            p = p.withThreshold(o.get("threshold").asInt());
        }
        if (o.has("edgeitems")) {
            p = p.withEdgeItems(o.get("edgeitems").asInt());
        }
        if (o.has("linewidth")) {
            p = p.withLineWidth(o.get("linewidth").asInt());
        }
        if (o.has("sci_mode") && !o.get("sci_mode").isNull()) {
            p = p.withSciMode(o.get("sci_mode").asBoolean());
        }
        return p;
    }

    static Tensor build(JsonNode c) {
        switch (c.get("kind").asText()) {
            case "tensor":
                return leaf(c.get("tensor"), c.get("requires_grad").asBoolean());
            case "parameter":
                return new Parameter(leaf(c.get("tensor"), false), c.get("requires_grad").asBoolean());
            case "op": {
                JsonNode in = c.get("inputs");
                Tensor[] inputs = new Tensor[in.size()];
                for (int i = 0; i < inputs.length; i++) {
                    inputs[i] = leaf(in.get(i), in.get(i).get("requires_grad").asBoolean());
                }
                Function<Tensor[], Tensor> op = OPS.get(c.get("op").asText());
                assertThat(op).as("jgrad op for %s", c.get("op")).isNotNull();
                return op.apply(inputs);
            }
            default:
                throw new IllegalArgumentException("unknown kind " + c.get("kind"));
        }
    }

    /** A leaf tensor from the golden encoding, int64 read exactly (not through double). */
    static Tensor leaf(JsonNode node, boolean requiresGrad) {
        JsonNode shapeNode = node.get("shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt();
        }
        JsonNode data = node.get("data");
        Tensor t;
        switch (node.get("dtype").asText()) {
            case "int64": {
                long[] v = new long[data.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = data.get(i).asLong();
                }
                t = Tensor.fromLongs(v, shape);
                break;
            }
            case "bool": {
                boolean[] v = new boolean[data.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = data.get(i).asBoolean();
                }
                t = Tensor.fromBooleans(v, shape);
                break;
            }
            case "float32": {
                float[] v = new float[data.size()];
                for (int i = 0; i < v.length; i++) {
                    double d = Golden.number(data.get(i));
                    v[i] = (float) d;
                    if (Double.compare(v[i], d) != 0) {
                        throw new IllegalArgumentException("not a float32 value: " + data.get(i));
                    }
                }
                t = Tensor.fromFloats(v, shape);
                break;
            }
            case "float64": {
                double[] v = new double[data.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Golden.number(data.get(i));
                }
                t = Tensor.fromDoubles(v, shape);
                break;
            }
            default:
                throw new IllegalArgumentException("unknown dtype " + node.get("dtype"));
        }
        return requiresGrad ? t.requiresGrad_(true) : t;
    }
}
