package dev.jgrad.ops;

import static dev.jgrad.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jgrad.DType;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op's forward and backward against real PyTorch 1.13: {@code golden/ops/cases.json},
 * written by {@code generate.py} beside it. Each case builds its inputs as the same strided views
 * PyTorch used, runs the op, compares the outputs (and the geometry of outputs that are views),
 * the {@code grad_fn} name, and the gradient of {@code Σ (out_i · w_i).sum()} with respect to
 * every input.
 */
class OpsGoldenTest {
    private static final JsonNode ROOT = Golden.load("/golden/ops/cases.json");

    /** The ops {@link #run} maps to jgrad; each must have float32 and float64 cases. */
    private static final List<String> OPS = List.of("neg", "exp", "log", "log1p", "sqrt", "abs", "sign", "sin", "cos",
            "tanh", "sigmoid", "relu", "leaky_relu", "gelu", "clamp", "contiguous", "clone", "to", "add", "sub", "mul", "div",
            "pow", "maximum", "minimum", "add_scalar", "sub_scalar", "rsub_scalar", "mul_scalar", "div_scalar",
            "rdiv_scalar", "pow_scalar", "rpow_scalar", "masked_fill", "where", "eq", "ne", "lt", "le", "gt", "ge",
            "eq_scalar", "ne_scalar", "lt_scalar", "le_scalar", "gt_scalar", "ge_scalar", "sum", "mean", "max_all",
            "min_all", "max_dim", "min_dim", "argmax", "argmin", "logsumexp", "view", "reshape", "flatten", "squeeze",
            "unsqueeze", "transpose", "t", "permute", "expand", "narrow", "select", "cat", "stack", "split", "split_sizes",
            "chunk", "index_select", "gather", "matmul", "mm", "bmm", "addmm", "linear", "softmax", "log_softmax",
            "binary_cross_entropy", "binary_cross_entropy_with_logits", "mse_loss", "l1_loss", "cross_entropy", "nll_loss");

    static Stream<Named<JsonNode>> cases() {
        return StreamSupport.stream(ROOT.get("cases").spliterator(), false)
                .map(c -> Named.of(c.get("name").asText(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(JsonNode c) {
        String op = c.get("op").asText();
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (JsonNode spec : c.get("inputs")) {
            in.put(spec.get("name").asText(), input(spec));
        }
        List<Tensor> outs = run(op, c.get("args"), in);

        JsonNode expectedOuts = c.get("outputs");
        assertThat(outs).as("number of outputs").hasSize(expectedOuts.size());
        DType dtype = Golden.dtype(c.get("dtype").asText());
        for (int k = 0; k < outs.size(); k++) {
            compare(dtype, outs.get(k), Golden.tensor(expectedOuts.get(k)), "output " + k);
            JsonNode view = c.get("views").get(k);
            if (!view.isNull()) {
                // PyTorch's output is a view: jgrad's must share the input's storage with the same geometry
                Tensor out = outs.get(k);
                assertThat(in.values()).as("output " + k + " shares an input's storage")
                        .anyMatch(t -> t.storage() == out.storage());
                assertThat(out.stride()).as("output " + k + " strides").isEqualTo(ints(view.get(0)));
                assertThat(out.storageOffset()).as("output " + k + " storage offset").isEqualTo(view.get(1).asInt());
            }
        }
        checkGradFnName(c, outs.get(0));

        Tensor loss = null;
        JsonNode ws = c.get("w");
        for (int k = 0; k < outs.size(); k++) {
            Tensor out = outs.get(k);
            boolean differentiable = !ws.get(k).isNull();
            assertThat(out.requiresGrad()).as("output " + k + " requires grad").isEqualTo(differentiable);
            if (differentiable) {
                Tensor term = out.mul(Golden.tensor(ws.get(k))).sum();
                loss = loss == null ? term : loss.add(term);
            }
        }
        if (loss != null) {
            loss.backward();
        }
        int i = 0;
        for (JsonNode spec : c.get("inputs")) {
            String name = spec.get("name").asText();
            JsonNode g = c.get("grads").get(i++);
            Tensor actual = in.get(name).grad();
            if (g.isNull()) {
                assertThat(actual).as("grad of " + name + " (PyTorch: None)").isNull();
            } else {
                compare(dtype, actual, Golden.tensor(g), "grad of " + name);
            }
        }
    }

    /** Guards the file itself: every op the test knows appears in float32 and float64. */
    @Test
    void everyOpIsCoveredInBothDtypes() {
        Set<String> f32 = new TreeSet<>();
        Set<String> f64 = new TreeSet<>();
        for (JsonNode c : ROOT.get("cases")) {
            ("float64".equals(c.get("dtype").asText()) ? f64 : f32).add(c.get("op").asText());
        }
        assertThat(f32).containsAll(OPS);
        assertThat(f64).containsAll(OPS);
        assertThat(f32).isSubsetOf(OPS);
        assertThat(f64).isSubsetOf(OPS);
    }

    // ------------------------------------------------------------------ comparison

    /**
     * Compares with assertClose at the case's precision: float32 cases rtol = atol = 1e-6, float64
     * 1e-12. This holds for long sums and matmuls too (jgrad accumulates float32 in double or with
     * fma), so no op needs a looser tolerance. A float32 case keeps 1e-6 for its float64 tensors
     * (mixed-dtype cases compute in float32, then cast).
     */
    private static void compare(DType caseDtype, Tensor actual, Tensor expected, String what) {
        if (expected.dtype().isFloatingPoint()) {
            double tol = caseDtype == DType.FLOAT64 && expected.dtype() == DType.FLOAT64 ? 1e-12 : 1e-6;
            assertClose(actual, expected, tol, tol, what);
        } else {
            assertThat(actual.dtype()).as(what + ": dtype").isEqualTo(expected.dtype());
            assertThat(actual.shape()).as(what + ": shape").isEqualTo(expected.shape());
            assertThat(actual.toDoubleArray()).as(what + ": values").isEqualTo(expected.toDoubleArray());
        }
    }

    /** PyTorch's {@code type(out.grad_fn).__name__}; jgrad matches every one (no exceptions). */
    private static void checkGradFnName(JsonNode c, Tensor out) {
        JsonNode expected = c.get("grad_fn");
        String actual = out.gradFn() == null ? null : out.gradFn().name();
        assertThat(actual).as("grad_fn name").isEqualTo(expected.isNull() ? null : expected.asText());
    }

    // ------------------------------------------------------------------ inputs

    /** The input as PyTorch built it: the base tensor, the same view steps, then a leaf. */
    private static Tensor input(JsonNode spec) {
        Tensor t = Golden.tensor(spec.get("base"));
        for (JsonNode v : spec.get("views")) {
            String kind = v.get(0).asText();
            switch (kind) {
                case "transpose":
                    t = t.transpose(v.get(1).asInt(), v.get(2).asInt());
                    break;
                case "permute":
                    t = t.permute(ints(v.get(1)));
                    break;
                case "narrow":
                    t = t.narrow(v.get(1).asInt(), v.get(2).asInt(), v.get(3).asInt());
                    break;
                case "expand":
                    t = t.expand(ints(v.get(1)));
                    break;
                case "slice":
                    t = slice(t, v.get(1).asInt(), v.get(2).asInt(), v.get(3).asInt(), v.get(4).asInt());
                    break;
                default:
                    throw new IllegalArgumentException("unknown view step " + kind);
            }
        }
        Tensor x = t.detach();
        assertThat(x.stride()).as(spec.get("name").asText() + " strides").isEqualTo(ints(spec.get("strides")));
        assertThat(x.storageOffset()).as(spec.get("name").asText() + " storage offset").isEqualTo(spec.get("offset").asInt());
        if (spec.get("requires_grad").asBoolean()) {
            x.requiresGrad_(true);
        }
        return x;
    }

    /** Python's t[..., start:stop:step, ...] on dimension {@code dim} (jgrad has no stepped slice op). */
    private static Tensor slice(Tensor t, int dim, int start, int stop, int step) {
        int[] shape = t.shape();
        int[] strides = t.stride();
        int offset = t.storageOffset() + start * strides[dim];
        shape[dim] = Math.max(0, (Math.min(stop, shape[dim]) - start + step - 1) / step);
        strides[dim] *= step;
        return t.stridedView(shape, strides, offset);
    }

    private static int[] ints(JsonNode n) {
        int[] a = new int[n.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = n.get(i).asInt();
        }
        return a;
    }

    private static double num(JsonNode args, String key) {
        return Golden.number(args.get(key));
    }

    private static boolean has(JsonNode args, String key) {
        return args.has(key) && !args.get(key).isNull();
    }

    // ------------------------------------------------------------------ ops

    /** Runs {@code op} as the jgrad user API spells it; the outputs in PyTorch's order. */
    private static List<Tensor> run(String op, JsonNode a, Map<String, Tensor> in) {
        Tensor x = in.get("x");
        Tensor p = in.get("a");
        Tensor q = in.get("b");
        switch (op) {
            case "neg": return List.of(x.neg());
            case "exp": return List.of(x.exp());
            case "log": return List.of(x.log());
            case "log1p": return List.of(x.log1p());
            case "sqrt": return List.of(x.sqrt());
            case "abs": return List.of(x.abs());
            case "sign": return List.of(x.sign());
            case "sin": return List.of(x.sin());
            case "cos": return List.of(x.cos());
            case "tanh": return List.of(x.tanh());
            case "sigmoid": return List.of(x.sigmoid());
            case "relu": return List.of(x.relu());
            case "leaky_relu": return List.of(has(a, "slope") ? F.leakyRelu(x, num(a, "slope")) : F.leakyRelu(x));
            case "gelu": return List.of(F.gelu(x, a.get("approximate").asText()));
            case "clamp":
                if (!has(a, "min")) {
                    return List.of(x.clampMax(num(a, "max")));
                }
                return List.of(has(a, "max") ? x.clamp(num(a, "min"), num(a, "max")) : x.clampMin(num(a, "min")));
            case "contiguous": return List.of(x.contiguous());
            case "clone": return List.of(x.clone());
            case "to": return List.of(x.to(Golden.dtype(a.get("dtype").asText())));

            case "add": return List.of(has(a, "alpha") ? p.add(q, num(a, "alpha")) : p.add(q));
            case "sub": return List.of(has(a, "alpha") ? p.sub(q, num(a, "alpha")) : p.sub(q));
            case "mul": return List.of(p.mul(q));
            case "div": return List.of(p.div(q));
            case "pow": return List.of(p.pow(q));
            case "maximum": return List.of(p.maximum(q));
            case "minimum": return List.of(Jgrad.minimum(p, q));
            case "add_scalar": return List.of(x.add(num(a, "c")));
            case "sub_scalar": return List.of(x.sub(num(a, "c")));
            case "rsub_scalar": return List.of(x.rsub(num(a, "c")));
            case "mul_scalar": return List.of(x.mul(num(a, "c")));
            case "div_scalar": return List.of(x.div(num(a, "c")));
            case "rdiv_scalar": return List.of(x.rdiv(num(a, "c")));
            case "pow_scalar": return List.of(x.pow(num(a, "c")));
            case "rpow_scalar": return List.of(x.rpow(num(a, "c")));
            case "masked_fill": return List.of(x.maskedFill(in.get("mask"), num(a, "value")));
            case "where": return List.of(Jgrad.where(in.get("cond"), p, q));

            case "eq": return List.of(p.eq(q));
            case "ne": return List.of(p.ne(q));
            case "lt": return List.of(p.lt(q));
            case "le": return List.of(p.le(q));
            case "gt": return List.of(p.gt(q));
            case "ge": return List.of(p.ge(q));
            case "eq_scalar": return List.of(x.eq(num(a, "c")));
            case "ne_scalar": return List.of(x.ne(num(a, "c")));
            case "lt_scalar": return List.of(x.lt(num(a, "c")));
            case "le_scalar": return List.of(x.le(num(a, "c")));
            case "gt_scalar": return List.of(x.gt(num(a, "c")));
            case "ge_scalar": return List.of(x.ge(num(a, "c")));

            case "sum":
                if (has(a, "dims")) {
                    return List.of(x.sum(ints(a.get("dims")), a.get("keepdim").asBoolean()));
                }
                return List.of(has(a, "dim") ? x.sum(a.get("dim").asInt(), a.get("keepdim").asBoolean()) : x.sum());
            case "mean":
                if (has(a, "dims")) {
                    return List.of(x.mean(ints(a.get("dims")), a.get("keepdim").asBoolean()));
                }
                return List.of(has(a, "dim") ? x.mean(a.get("dim").asInt(), a.get("keepdim").asBoolean()) : x.mean());
            case "max_all": return List.of(x.max());
            case "min_all": return List.of(x.min());
            case "max_dim": {
                Tensor.ValuesIndices vi = x.max(a.get("dim").asInt(), a.get("keepdim").asBoolean());
                return List.of(vi.values(), vi.indices());
            }
            case "min_dim": {
                Tensor.ValuesIndices vi = x.min(a.get("dim").asInt(), a.get("keepdim").asBoolean());
                return List.of(vi.values(), vi.indices());
            }
            case "argmax":
                return List.of(has(a, "dim") ? x.argmax(a.get("dim").asInt(), a.get("keepdim").asBoolean()) : x.argmax());
            case "argmin":
                return List.of(has(a, "dim") ? x.argmin(a.get("dim").asInt(), a.get("keepdim").asBoolean()) : x.argmin());
            case "logsumexp":
                if (has(a, "dims")) {
                    return List.of(x.logsumexp(ints(a.get("dims")), a.get("keepdim").asBoolean()));
                }
                return List.of(x.logsumexp(a.get("dim").asInt(), a.get("keepdim").asBoolean()));

            case "view": return List.of(x.view(ints(a.get("shape"))));
            case "reshape": return List.of(x.reshape(ints(a.get("shape"))));
            case "flatten":
                return List.of(has(a, "start") ? x.flatten(a.get("start").asInt(), a.get("end").asInt()) : x.flatten());
            case "squeeze": return List.of(has(a, "dim") ? x.squeeze(a.get("dim").asInt()) : x.squeeze());
            case "unsqueeze": return List.of(x.unsqueeze(a.get("dim").asInt()));
            case "transpose": return List.of(x.transpose(a.get("dim0").asInt(), a.get("dim1").asInt()));
            case "t": return List.of(x.t());
            case "permute": return List.of(x.permute(ints(a.get("dims"))));
            case "expand": return List.of(x.expand(ints(a.get("sizes"))));
            case "narrow": return List.of(x.narrow(a.get("dim").asInt(), a.get("start").asInt(), a.get("length").asInt()));
            case "select": return List.of(x.select(a.get("dim").asInt(), a.get("index").asInt()));

            case "cat": return List.of(Jgrad.cat(new ArrayList<>(in.values()), a.get("dim").asInt()));
            case "stack": return List.of(Jgrad.stack(new ArrayList<>(in.values()), a.get("dim").asInt()));
            case "split": return x.split(a.get("size").asInt(), a.get("dim").asInt());
            case "split_sizes": return x.split(ints(a.get("sizes")), a.get("dim").asInt());
            case "chunk": return x.chunk(a.get("chunks").asInt(), a.get("dim").asInt());
            case "index_select": return List.of(x.indexSelect(a.get("dim").asInt(), in.get("index")));
            case "gather": return List.of(x.gather(a.get("dim").asInt(), in.get("index")));

            case "matmul": return List.of(p.matmul(q));
            case "mm": return List.of(p.mm(q));
            case "bmm": return List.of(p.bmm(q));
            case "addmm": return List.of(Jgrad.addmm(in.get("c"), p, q, num(a, "beta"), num(a, "alpha")));
            case "linear": return List.of(F.linear(x, in.get("w"), in.get("b")));
            case "softmax": return List.of(x.softmax(a.get("dim").asInt()));
            case "log_softmax": return List.of(F.logSoftmax(x, a.get("dim").asInt()));

            case "binary_cross_entropy":
                return List.of(F.binaryCrossEntropy(in.get("input"), in.get("target"), in.get("weight"), a.get("reduction").asText()));
            case "binary_cross_entropy_with_logits":
                return List.of(F.binaryCrossEntropyWithLogits(in.get("input"), in.get("target"), in.get("weight"),
                        in.get("pos_weight"), a.get("reduction").asText()));
            case "mse_loss": return List.of(F.mseLoss(in.get("input"), in.get("target"), a.get("reduction").asText()));
            case "l1_loss": return List.of(F.l1Loss(in.get("input"), in.get("target"), a.get("reduction").asText()));
            case "cross_entropy":
                return List.of(F.crossEntropy(in.get("input"), in.get("target"), in.get("weight"), a.get("ignore_index").asInt(),
                        a.get("reduction").asText(), num(a, "label_smoothing")));
            case "nll_loss":
                return List.of(F.nllLoss(in.get("input"), in.get("target"), in.get("weight"), a.get("ignore_index").asInt(),
                        a.get("reduction").asText()));
            default:
                throw new IllegalArgumentException("no jgrad mapping for op " + op);
        }
    }
}
