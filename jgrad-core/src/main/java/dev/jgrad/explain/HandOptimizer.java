package dev.jgrad.explain;

import dev.jgrad.PyFormat;
import dev.jgrad.Tensor;
import dev.jgrad.explain.ExplainTrace.Check;
import dev.jgrad.explain.ExplainTrace.OptimizerStep;
import dev.jgrad.explain.ExplainTrace.Quantity;
import dev.jgrad.explain.ExplainTrace.Symbol;
import dev.jgrad.hand.NdArray;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.AdamW;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.ParamGroup;
import dev.jgrad.optim.SGD;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One optimizer step by hand, in double precision from the textbook formulas (for Adam: g, m, v,
 * their bias corrections, the denominator with ε, the new value), then the optimizer's own
 * {@code step()}, and each parameter compared.
 */
final class HandOptimizer {
    private HandOptimizer() {
    }

    /** A description such as {@code Adam (lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0)}. */
    static String describe(Optimizer opt) {
        ParamGroup g = opt.paramGroups().get(0);
        String lr = "lr=" + PyFormat.repr(g.get("lr"));
        if (opt instanceof Adam) {
            String name = opt instanceof AdamW ? "AdamW" : "Adam";
            return name + " (" + lr + ", betas=(" + PyFormat.repr(g.get("beta1")) + ", " + PyFormat.repr(g.get("beta2"))
                    + "), eps=" + PyFormat.repr(g.get("eps")) + ", weight_decay=" + PyFormat.repr(g.get("weight_decay"))
                    + (g.flag("amsgrad") ? ", amsgrad=True" : "") + (g.flag("maximize") ? ", maximize=True" : "") + ")";
        }
        if (opt instanceof SGD) {
            return "SGD (" + lr + ", momentum=" + PyFormat.repr(g.get("momentum")) + ", dampening=" + PyFormat.repr(g.get("dampening"))
                    + ", weight_decay=" + PyFormat.repr(g.get("weight_decay")) + (g.flag("nesterov") ? ", nesterov=True" : "")
                    + (g.flag("maximize") ? ", maximize=True" : "") + ")";
        }
        return opt.getClass().getSimpleName();
    }

    /** Works out the step of every parameter with a gradient, runs {@code opt.step()} and compares. */
    static List<OptimizerStep> step(Optimizer opt, Map<Tensor, String> names, Map<Tensor, Symbol> symbols, double tolerance) {
        List<Tensor> params = new ArrayList<>();
        List<List<Quantity>> work = new ArrayList<>();
        List<NdArray> expected = new ArrayList<>();
        for (ParamGroup group : opt.paramGroups()) {
            for (Tensor p : group.params()) {
                if (p.grad() == null) {
                    continue;
                }
                List<Quantity> q = new ArrayList<>();
                NdArray result;
                if (opt instanceof Adam) {
                    result = adam(group, p, (Adam.State) opt.stateOf(p), opt instanceof AdamW, q);
                } else if (opt instanceof SGD) {
                    result = sgd(group, p, (SGD.State) opt.stateOf(p), q);
                } else {
                    throw new IllegalArgumentException("the explainer works out SGD, Adam and AdamW steps, not "
                            + opt.getClass().getSimpleName());
                }
                params.add(p);
                work.add(q);
                expected.add(result);
            }
        }
        opt.step();
        List<OptimizerStep> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            Check c = Check.of(expected.get(i), NdArray.of(p.detach()), tolerance);
            Symbol s = symbols.getOrDefault(p, Symbol.of(names.getOrDefault(p, "p"), names.getOrDefault(p, "p")));
            out.add(new OptimizerStep(names.getOrDefault(p, "parameter " + i), s, work.get(i), c));
        }
        return out;
    }

    private static Quantity q(String name, String nameLatex, String formula, String formulaLatex, NdArray v) {
        return new Quantity(Symbol.of(name, nameLatex), Symbol.of(formula, formulaLatex), v);
    }

    /** A hyperparameter in LaTeX: 1e-08 is 1 \\cdot 10^{-8}. */
    private static String nl(double v) {
        return Fmt.latexNum(n(v));
    }

    /** A hyperparameter for people: 1 − 0.9 is 0.1, not 0.09999999999999998. */
    private static String n(double v) {
        return PyFormat.repr(new java.math.BigDecimal(v).round(new java.math.MathContext(12)).doubleValue());
    }

    private static NdArray adam(ParamGroup group, Tensor param, Adam.State state, boolean decoupled, List<Quantity> out) {
        double lr = group.get("lr");
        double b1 = group.get("beta1");
        double b2 = group.get("beta2");
        double eps = group.get("eps");
        double wd = group.get("weight_decay");
        boolean amsgrad = group.flag("amsgrad");
        boolean maximize = group.flag("maximize");
        NdArray p = NdArray.of(param.detach());
        NdArray g = NdArray.of(param.grad());
        int t = (state == null ? 0 : state.step()) + 1;
        NdArray m0 = state == null ? NdArray.zeros(p.shape()) : NdArray.of(state.expAvg(), p.shape());
        NdArray v0 = state == null ? NdArray.zeros(p.shape()) : NdArray.of(state.expAvgSq(), p.shape());
        out.add(q("g", "g", "∂J/∂p, autograd's .grad", "\\frac{\\partial J}{\\partial p}", g));
        if (maximize) {
            g = g.mul(-1);
            out.add(q("g", "g", "−g (maximize)", "-g", g));
        }
        if (decoupled && wd != 0) {
            p = p.mul(1 - lr * wd);
            out.add(q("p", "p", "p · (1 − lr·λ) = p × " + n(1 - lr * wd) + " (decoupled weight decay)",
                    "p\\,(1 - \\mathrm{lr}\\,\\lambda) = p \\times " + nl(1 - lr * wd), p));
        } else if (wd != 0) {
            g = g.add(p.mul(wd));
            out.add(q("g", "g", "g + λ·p, λ = " + n(wd), "g + \\lambda p,\\ \\lambda = " + nl(wd), g));
        }
        String first = state == null ? " (m and v start at 0)" : "";
        NdArray m = m0.mul(b1).add(g.mul(1 - b1));
        out.add(q("m", "m", "β₁·m + (1 − β₁)·g = " + n(b1) + " × m + " + n(1 - b1) + " × g" + first,
                "\\beta_1 m + (1 - \\beta_1)\\,g = " + nl(b1) + " m + " + nl(1 - b1) + " g", m));
        NdArray v = v0.mul(b2).add(g.mul(g).mul(1 - b2));
        out.add(q("v", "v", "β₂·v + (1 − β₂)·g² = " + n(b2) + " × v + " + n(1 - b2) + " × g²",
                "\\beta_2 v + (1 - \\beta_2)\\,g^2 = " + nl(b2) + " v + " + nl(1 - b2) + " g^2", v));
        if (amsgrad) {
            NdArray vmax0 = state == null || state.maxExpAvgSq() == null ? NdArray.zeros(p.shape())
                    : NdArray.of(state.maxExpAvgSq(), p.shape());
            v = vmax0.zip(v, Math::max);
            out.add(q("v", "v", "max(v_max, v) (amsgrad)", "\\max(v_{\\max}, v)", v));
        }
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        NdArray mHat = m.mul(1 / bc1);
        out.add(q("m̂", "\\hat m", "m / (1 − β₁ᵗ) = m / (1 − " + n(b1) + "^" + t + ") = m / " + n(bc1),
                "\\frac{m}{1 - \\beta_1^t} = \\frac{m}{1 - " + nl(b1) + "^{" + t + "}}", mHat));
        NdArray vHat = v.mul(1 / bc2);
        out.add(q("v̂", "\\hat v", "v / (1 − β₂ᵗ) = v / (1 − " + n(b2) + "^" + t + ") = v / " + n(bc2),
                "\\frac{v}{1 - \\beta_2^t} = \\frac{v}{1 - " + nl(b2) + "^{" + t + "}}", vHat));
        NdArray denom = vHat.map(x -> Math.sqrt(x) + eps);
        out.add(q("denom", "\\mathrm{denom}", "√v̂ + ε, ε = " + n(eps), "\\sqrt{\\hat v} + \\epsilon,\\ \\epsilon = " + nl(eps), denom));
        NdArray delta = mHat.div(denom).mul(-lr);
        out.add(q("Δp", "\\Delta p", "−lr · m̂ / denom, lr = " + n(lr), "-\\mathrm{lr}\\,\\frac{\\hat m}{\\mathrm{denom}},\\ \\mathrm{lr} = " + nl(lr), delta));
        NdArray result = p.add(delta);
        out.add(q("p", "p", "p + Δp (the new value)", "p + \\Delta p", result));
        return result;
    }

    private static NdArray sgd(ParamGroup group, Tensor param, SGD.State state, List<Quantity> out) {
        double lr = group.get("lr");
        double mu = group.get("momentum");
        double damp = group.get("dampening");
        double wd = group.get("weight_decay");
        boolean nesterov = group.flag("nesterov");
        boolean maximize = group.flag("maximize");
        NdArray p = NdArray.of(param.detach());
        NdArray g = NdArray.of(param.grad());
        out.add(q("g", "g", "∂J/∂p, autograd's .grad", "\\frac{\\partial J}{\\partial p}", g));
        if (maximize) {
            g = g.mul(-1);
            out.add(q("g", "g", "−g (maximize)", "-g", g));
        }
        if (wd != 0) {
            g = g.add(p.mul(wd));
            out.add(q("g", "g", "g + λ·p, λ = " + n(wd), "g + \\lambda p,\\ \\lambda = " + nl(wd), g));
        }
        NdArray d = g;
        if (mu != 0) {
            double[] prev = state == null ? null : state.momentumBuffer();
            NdArray buf;
            if (prev == null) {
                buf = g;
                out.add(q("b", "b", "g (the momentum buffer starts as the first gradient)", "g", buf));
            } else {
                buf = NdArray.of(prev, p.shape()).mul(mu).add(g.mul(1 - damp));
                out.add(q("b", "b", "μ·b + (1 − τ)·g = " + n(mu) + " × b + " + n(1 - damp) + " × g",
                        "\\mu b + (1 - \\tau) g = " + nl(mu) + " b + " + nl(1 - damp) + " g", buf));
            }
            d = nesterov ? g.add(buf.mul(mu)) : buf;
            if (nesterov) {
                out.add(q("d", "d", "g + μ·b (Nesterov)", "g + \\mu b", d));
            }
        }
        NdArray delta = d.mul(-lr);
        out.add(q("Δp", "\\Delta p", "−lr · " + (mu != 0 && !nesterov ? "b" : mu != 0 ? "d" : "g") + ", lr = " + n(lr),
                "-\\mathrm{lr}\\," + (mu != 0 && !nesterov ? "b" : mu != 0 ? "d" : "g") + ",\\ \\mathrm{lr} = " + nl(lr), delta));
        NdArray result = p.add(delta);
        out.add(q("p", "p", "p + Δp (the new value)", "p + \\Delta p", result));
        return result;
    }
}
