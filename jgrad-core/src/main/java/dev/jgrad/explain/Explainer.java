package dev.jgrad.explain;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.GradMode;
import dev.jgrad.autograd.Node;
import dev.jgrad.explain.ExplainTrace.BackwardNode;
import dev.jgrad.explain.ExplainTrace.Check;
import dev.jgrad.explain.ExplainTrace.ForwardStep;
import dev.jgrad.explain.ExplainTrace.LossStep;
import dev.jgrad.explain.ExplainTrace.OptimizerStep;
import dev.jgrad.explain.ExplainTrace.ParameterCheck;
import dev.jgrad.explain.ExplainTrace.SampleLoss;
import dev.jgrad.explain.ExplainTrace.Setup;
import dev.jgrad.explain.ExplainTrace.Symbol;
import dev.jgrad.explain.ExplainTrace.Value;
import dev.jgrad.hand.NdArray;
import dev.jgrad.kernel.UnaryOp;
import dev.jgrad.nn.Dropout;
import dev.jgrad.nn.Flatten;
import dev.jgrad.nn.GELU;
import dev.jgrad.nn.Identity;
import dev.jgrad.nn.LeakyReLU;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.LogSoftmax;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Parameter;
import dev.jgrad.nn.ReLU;
import dev.jgrad.nn.Sequential;
import dev.jgrad.nn.Sigmoid;
import dev.jgrad.nn.Softmax;
import dev.jgrad.nn.Tanh;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.storage.Shapes;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Explains one training step of a model the way the seed notebook does it by hand, completed:
 * the forward pass layer by layer with every number, the loss per sample and the cost, the
 * backward pass node by node in the order autograd runs it (each node's local derivative as its
 * op declares it, worked out with plain arrays, not by the engine), each parameter's hand-derived
 * gradient beside autograd's {@code .grad} (✓/✗), and the optimizer step checked against the
 * optimizer. Render the {@link ExplainTrace} with {@link ExplainRenderer}.
 * <pre>{@code
 * ExplainTrace t = Explainer.of(net).data(x, y).loss(LossKind.BCE).optimizer(new Adam(net.parameters(), 0.01)).explain();
 * System.out.print(ExplainRenderer.text(t));
 * }</pre>
 */
public final class Explainer {
    private final Module model;
    private final List<Map.Entry<String, Module>> layers;
    private Tensor input;
    private Tensor target;
    private LossKind loss = LossKind.BCE;
    private Optimizer optimizer;
    private Integer sample;
    private double tolerance = 1e-5;
    private String title;

    private Explainer(Module model, List<Map.Entry<String, Module>> layers) {
        this.model = model;
        this.layers = layers;
    }

    /** A Sequential, explained layer by layer (its children "0", "1", ...). */
    public static Explainer of(Sequential model) {
        return new Explainer(model, new ArrayList<>(model.namedChildren().entrySet()));
    }

    /**
     * A model whose forward pass is {@code layers} applied in order (names are for display;
     * parameter names come from {@code model.namedParameters()}), e.g. the seed network: linear1,
     * ReLU, linear2, ReLU, linear3, Sigmoid.
     */
    public static Explainer of(Module model, Map<String, Module> layers) {
        return new Explainer(model, new ArrayList<>(layers.entrySet()));
    }

    /** Any model: the forward pass is one step (no hand formula), the backward pass node by node. */
    public static Explainer ofModule(Module model) {
        List<Map.Entry<String, Module>> one = new ArrayList<>();
        one.add(Map.entry("model", model));
        return new Explainer(model, one);
    }

    /** The batch: features X [N, F] and targets Y ([N, T], or class indices [N] for cross-entropy). */
    public Explainer data(Tensor x, Tensor y) {
        this.input = x;
        this.target = y;
        return this;
    }

    public Explainer loss(LossKind kind) {
        this.loss = kind;
        return this;
    }

    /** The optimizer whose next step is explained (null: none). Its parameters must be the model's. */
    public Explainer optimizer(Optimizer opt) {
        this.optimizer = opt;
        return this;
    }

    /** Explain sample {@code i} alone (1-based, as the notebook numbers them), as a batch of one. */
    public Explainer sample(int i) {
        this.sample = i;
        return this;
    }

    /** Relative tolerance of the ✓ checks: |hand − jgrad| ≤ tol · (1 + max|jgrad|); default 1e-5 (float32 arithmetic). */
    public Explainer tolerance(double tol) {
        this.tolerance = tol;
        return this;
    }

    /** A title for the explanation. */
    public Explainer title(String t) {
        this.title = t;
        return this;
    }

    /**
     * Runs the step: forward, hand derivation, {@code backward()}, checks, and the optimizer's
     * {@code step()} (which changes the parameters) when one was given. The model's gradients are
     * cleared first.
     */
    public ExplainTrace explain() {
        if (input == null || target == null) {
            throw new IllegalStateException("Explainer: data(x, y) is required");
        }
        boolean wasEnabled = GradMode.set(true);
        try {
            return run();
        } finally {
            GradMode.set(wasEnabled);
        }
    }

    private ExplainTrace run() {
        Tensor x = input;
        Tensor y = target;
        if (sample != null) {
            if (sample < 1 || sample > x.size(0)) {
                throw new IllegalArgumentException("sample " + sample + " is out of range: the data has " + x.size(0)
                        + " samples, numbered 1.." + x.size(0));
            }
            x = x.narrow(0, sample - 1, 1).contiguous();
            y = y.narrow(0, sample - 1, 1).contiguous();
        }
        if (x.dim() != 2) {
            throw new IllegalArgumentException("the explainer takes a batch of feature rows [N, F], got shape " + Fmt.shape(x.shape()));
        }
        model.zeroGrad();
        Map<Tensor, String> paramNames = new IdentityHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            paramNames.put(e.getValue(), e.getKey());
        }
        Map<Tensor, Symbol> paramSymbols = new IdentityHashMap<>();
        Map<Tensor, Symbol> names = new IdentityHashMap<>();
        List<ForwardStep> forward = new ArrayList<>();

        // 1. forward, layer by layer
        Symbol inSym = Symbol.of("A[0]", "A^{[0]}");
        Tensor a = x;
        NdArray hand = NdArray.of(x);
        int l = 0;
        int primes = 0;
        for (Map.Entry<String, Module> layer : layers) {
            Module m = layer.getValue();
            Tensor out = m.forward(a);
            Symbol outSym;
            if (m instanceof Linear) {
                l++;
                primes = 0;
                outSym = Symbol.of("Z[" + l + "]", "Z^{[" + l + "]}");
                Linear lin = (Linear) m;
                paramSymbols.put(lin.weight, Symbol.of("W[" + l + "]", "W^{[" + l + "]}"));
                if (lin.bias != null) {
                    paramSymbols.put(lin.bias, Symbol.of("b[" + l + "]", "b^{[" + l + "]}"));
                }
            } else {
                if (l == 0 && primes == 0) {
                    primes = 1; // A[0] is the input
                }
                String p = "′".repeat(primes);
                String pl = "'".repeat(primes);
                primes++;
                outSym = Symbol.of("A[" + l + "]" + p, "A" + pl + "^{[" + l + "]}");
            }
            ForwardStep step = forwardStep(layer.getKey(), m, l, inSym, outSym, a, hand, out, paramNames, paramSymbols);
            forward.add(step);
            names.put(out, outSym);
            hand = step.check() != null ? step.check().hand() : NdArray.of(out);
            a = out;
            inSym = outSym;
        }
        Tensor output = a;
        for (Map.Entry<Tensor, String> e : paramNames.entrySet()) {
            paramSymbols.putIfAbsent(e.getKey(), Symbol.of(e.getValue(), "\\mathtt{" + e.getValue().replace("_", "\\_") + "}"));
        }

        // 2. the loss per sample and the cost
        Tensor cost = loss.apply(output, y);
        names.put(cost, Symbol.of("J", "J"));
        LossStep lossStep = lossStep(hand, NdArray.of(y), cost.item());

        // 3. backward by hand, before autograd frees the saved tensors
        for (Tensor t : names.keySet()) {
            if (t.requiresGrad() && t.gradFn() != null) {
                t.retainGrad();
            }
        }
        Map<Tensor, Symbol> leafNames = new IdentityHashMap<>(paramSymbols);
        HandBackward hb = new HandBackward(cost, names, leafNames, paramNames).run();
        cost.backward();
        List<BackwardNode> backward = hb.nodes(names, tolerance);

        // 4. each parameter: hand beside autograd
        List<ParameterCheck> params = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            NdArray h = hb.leafGrads().get(p);
            if (!p.requiresGrad() || (h == null && p.grad() == null)) {
                continue;
            }
            NdArray auto = p.grad() == null ? NdArray.zeros(p.shape()).map(v -> Double.NaN) : NdArray.of(p.grad());
            NdArray hv = h == null ? NdArray.zeros(p.shape()).map(v -> Double.NaN) : h;
            params.add(new ParameterCheck(e.getKey(), paramSymbols.get(p), Check.of(hv, auto, tolerance)));
        }

        // 5. the optimizer step
        List<OptimizerStep> steps = List.of();
        String optName = null;
        if (optimizer != null) {
            optName = HandOptimizer.describe(optimizer);
            steps = HandOptimizer.step(optimizer, paramNames, paramSymbols, tolerance);
        }

        List<Value> data = List.of(new Value(Symbol.of("X", "X"), NdArray.of(x), "A[0], the input: one row per sample"),
                new Value(Symbol.of("Y", "Y"), NdArray.of(y), loss == LossKind.CROSS_ENTROPY ? "class indices" : "the targets"));
        Setup setup = new Setup(title != null ? title : "one training step of " + model.getName(), model.toString(), data,
                loss.description() + " (mean over the batch)", optName, sample, x.size(0), tolerance);
        return new ExplainTrace(setup, forward, lossStep, backward, params, optName, steps);
    }

    // ------------------------------------------------------------------ forward

    private ForwardStep forwardStep(String name, Module m, int l, Symbol in, Symbol out, Tensor a, NdArray x, Tensor y,
                                    Map<Tensor, String> paramNames, Map<Tensor, Symbol> paramSymbols) {
        NdArray actual = NdArray.of(y);
        String repr = m.toString();
        Symbol inVal = in;
        List<Value> ops = new ArrayList<>();
        if (m instanceof Linear && x.dim() == 2) {
            Linear lin = (Linear) m;
            Symbol w = paramSymbols.get(lin.weight);
            NdArray wt = NdArray.of(lin.weight.detach()).transpose();
            NdArray product = x.matmul(wt);
            ops.add(new Value(inVal, x, l == 1 && in.text().equals("A[0]") ? "X, the input" : null));
            ops.add(new Value(Symbol.of(w.text() + "ᵀ", "{" + w.latex() + "}^\\top"), wt,
                    paramNames.get(lin.weight) + " " + Fmt.shape(lin.weight.shape()) + ", transposed"));
            ops.add(new Value(Symbol.of(in.text() + " · " + w.text() + "ᵀ", in.latex() + " \\cdot {" + w.latex() + "}^\\top"), product,
                    "the product before the bias"));
            NdArray z = product;
            Symbol formula;
            if (lin.bias != null) {
                Symbol b = paramSymbols.get(lin.bias);
                NdArray bias = NdArray.of(lin.bias.detach());
                NdArray broadcast = bias.broadcastTo(product.shape());
                ops.add(new Value(b, bias, paramNames.get(lin.bias)));
                ops.add(new Value(Symbol.of(b.text() + " broadcast", b.latex()), broadcast,
                        "the bias copied to each of the " + product.size(0) + " rows, one per sample"));
                z = product.add(broadcast);
                formula = Symbol.of(out.text() + " = " + in.text() + " · " + w.text() + "ᵀ + " + b.text(),
                        out.latex() + " = " + in.latex() + " \\cdot {" + w.latex() + "}^\\top + " + b.latex());
            } else {
                formula = Symbol.of(out.text() + " = " + in.text() + " · " + w.text() + "ᵀ",
                        out.latex() + " = " + in.latex() + " \\cdot {" + w.latex() + "}^\\top");
            }
            return new ForwardStep("linear", name, repr, out, formula, null, ops, null, null, actual, Check.of(z, actual, tolerance), null);
        }
        ops.add(new Value(in, x, null));
        if (m instanceof ReLU) {
            return elementwise(name, repr, in, out, x, actual, "ReLU", "\\mathrm{ReLU}", "max(0, z)", "\\max(0, z)", v -> Math.max(0, v));
        }
        if (m instanceof Sigmoid) {
            return elementwise(name, repr, in, out, x, actual, "σ", "\\sigma", "1 / (1 + exp(−z))", "\\frac{1}{1 + e^{-z}}",
                    v -> 1 / (1 + Math.exp(-v)));
        }
        if (m instanceof Tanh) {
            return elementwise(name, repr, in, out, x, actual, "tanh", "\\tanh", "(exp(z) − exp(−z)) / (exp(z) + exp(−z))",
                    "\\frac{e^z - e^{-z}}{e^z + e^{-z}}", Math::tanh);
        }
        if (m instanceof LeakyReLU) {
            double s = ((LeakyReLU) m).negativeSlope();
            return elementwise(name, repr, in, out, x, actual, "leaky_relu", "\\mathrm{leaky\\_relu}",
                    "z if z > 0 else " + Fmt.num(s) + "·z", "z\\,[z > 0] + " + Fmt.num(s) + " z\\,[z \\le 0]", v -> v > 0 ? v : s * v);
        }
        if (m instanceof GELU) {
            if ("tanh".equals(((GELU) m).approximate())) {
                double beta = Math.sqrt(2 / Math.PI);
                return elementwise(name, repr, in, out, x, actual, "gelu", "\\mathrm{gelu}", "½z(1 + tanh(√(2/π)(z + 0.044715z³)))",
                        "\\tfrac12 z\\,(1 + \\tanh(\\sqrt{2/\\pi}\\,(z + 0.044715 z^3)))",
                        v -> 0.5 * v * (1 + Math.tanh(beta * (v + 0.044715 * v * v * v))));
            }
            return elementwise(name, repr, in, out, x, actual, "gelu", "\\mathrm{gelu}", "z·Φ(z)", "z\\,\\Phi(z)",
                    v -> v * UnaryOp.NORMAL_CDF.apply(v));
        }
        if (m instanceof Softmax || m instanceof LogSoftmax) {
            boolean log = m instanceof LogSoftmax;
            int dim = Shapes.wrapDim(log ? ((LogSoftmax) m).dim() : ((Softmax) m).dim(), x.dim());
            NdArray shifted = x.sub(maxKeep(x, dim));
            NdArray e = shifted.map(Math::exp);
            NdArray sum = e.sumKeep(dim);
            NdArray r = log ? shifted.sub(sum.map(Math::log)) : e.div(sum);
            String f = log ? "log softmax" : "softmax";
            Symbol formula = Symbol.of(out.text() + " = " + f + "(" + in.text() + ") along dim " + dim,
                    out.latex() + " = " + (log ? "\\log\\mathrm{softmax}" : "\\mathrm{softmax}") + "(" + in.latex() + ")");
            Symbol def = log ? Symbol.of("log softmax(z)ⱼ = zⱼ − log Σₖ exp(zₖ)", "\\log\\mathrm{softmax}(z)_j = z_j - \\log \\textstyle\\sum_k e^{z_k}")
                    : Symbol.of("softmax(z)ⱼ = exp(zⱼ) / Σₖ exp(zₖ)", "\\mathrm{softmax}(z)_j = \\frac{e^{z_j}}{\\sum_k e^{z_k}}");
            ops.add(new Value(Symbol.of("Σₖ exp(zₖ)", "\\sum_k e^{z_k}"), x.map(Math::exp).sumKeep(dim), "along dim " + dim));
            return new ForwardStep("softmax", name, repr, out, formula, def, ops, null, null, actual, Check.of(r, actual, tolerance), null);
        }
        if (m instanceof Dropout) {
            Node fn = y.gradFn();
            if (y == a || fn == null) {
                return new ForwardStep("identity", name, repr, out, Symbol.of(out.text() + " = " + in.text(), out.latex() + " = " + in.latex()),
                        null, ops, null, null, actual, Check.of(x, actual, tolerance), "dropout is the identity in evaluation mode");
            }
            NdArray mask = NdArray.of(fn.savedTensors().get(0));
            ops.add(new Value(Symbol.of("m", "m"), mask, "the kept elements' scale 1/(1 − p), 0 where dropped (drawn by the generator)"));
            return new ForwardStep("dropout", name, repr, out, Symbol.of(out.text() + " = " + in.text() + " ⊙ m", out.latex() + " = " + in.latex() + " \\odot m"),
                    null, ops, null, null, actual, Check.of(x.mul(mask), actual, tolerance), null);
        }
        if (m instanceof Identity || m instanceof Flatten) {
            NdArray r = x.reshape(y.shape());
            return new ForwardStep("identity", name, repr, out, Symbol.of(out.text() + " = " + in.text() + (m instanceof Flatten ? " flattened" : ""),
                    out.latex() + " = " + in.latex()), null, ops, null, null, actual, Check.of(r, actual, tolerance), null);
        }
        return new ForwardStep("module", name, repr, out, Symbol.of(out.text() + " = " + name + "(" + in.text() + ")",
                out.latex() + " = \\mathrm{" + name.replace("_", "\\_") + "}(" + in.latex() + ")"), null, ops, null, null, actual, null,
                "computed by the module (" + m.getName() + "); the explainer has no hand formula for its forward pass");
    }

    private static NdArray maxKeep(NdArray x, int dim) {
        int[] s = x.shape();
        int[] keep = s.clone();
        keep[dim] = 1;
        NdArray moved = x.transpose(dim, s.length - 1);
        int inner = s[dim];
        double[] v = moved.values();
        double[] out = new double[v.length / Math.max(1, inner)];
        for (int i = 0; i < out.length; i++) {
            double mx = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < inner; j++) {
                mx = Math.max(mx, v[i * inner + j]);
            }
            out[i] = mx;
        }
        int[] movedShape = moved.shape();
        movedShape[movedShape.length - 1] = 1;
        return NdArray.of(out, movedShape).transpose(dim, s.length - 1).reshape(keep);
    }

    private ForwardStep elementwise(String name, String repr, Symbol in, Symbol out, NdArray x, NdArray actual, String fn,
                                    String fnLatex, String def, String defLatex, DoubleUnaryOperator f) {
        Symbol formula = Symbol.of(out.text() + " = " + fn + "(" + in.text() + "), element-wise",
                out.latex() + " = " + fnLatex + "(" + in.latex() + ")");
        Symbol definition = Symbol.of(fn + "(z) = " + def, fnLatex + "(z) = " + defLatex);
        List<Value> ops = List.of(new Value(in, x, null));
        return new ForwardStep("elementwise", name, repr, out, formula, definition, ops, Symbol.of(fn + "({0})", fnLatex + "({0})"), x, actual,
                Check.of(x.map(f), actual, tolerance), null);
    }

    // ------------------------------------------------------------------ loss

    private LossStep lossStep(NdArray out, NdArray y, double actual) {
        int m = out.size(0);
        List<SampleLoss> samples = new ArrayList<>();
        double total = 0;
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            double[] a = LossKind.row(out, i);
            double[] t = LossKind.row(y, i);
            double v = loss.sampleLoss(a, t);
            total += v;
            samples.add(new SampleLoss(sample != null ? sample : i + 1, loss.substituted(a, t, v), v));
            terms.add(Fmt.num(v));
        }
        double cost = total / m;
        Symbol costFormula = Symbol.of("J = (1/m) Σᵢ L⁽ⁱ⁾, m = " + m, "J = \\frac{1}{m} \\sum_{i=1}^{m} L^{(i)},\\ m = " + m);
        String sum = m <= 8 ? String.join(" + ", terms) : terms.get(0) + " + " + terms.get(1) + " + … + " + terms.get(m - 1);
        Symbol costSub = m == 1 ? Symbol.of("J = " + Fmt.num(cost), "J = " + Fmt.num(cost))
                : Symbol.of("J = (" + sum + ") / " + m + " = " + Fmt.num(cost),
                        "J = \\frac{" + sum.replace("…", "\\dots") + "}{" + m + "} = " + Fmt.num(cost));
        double diff = Math.abs(cost - actual);
        return new LossStep(loss.cliName(), loss.formula(), costFormula, samples, costSub, cost, actual,
                diff <= tolerance * (1 + Math.abs(actual)));
    }
}
