package dev.jgrad.explain;

import dev.jgrad.PyFormat;
import dev.jgrad.explain.ExplainTrace.BackwardNode;
import dev.jgrad.explain.ExplainTrace.Check;
import dev.jgrad.explain.ExplainTrace.Edge;
import dev.jgrad.explain.ExplainTrace.ForwardStep;
import dev.jgrad.explain.ExplainTrace.Incoming;
import dev.jgrad.explain.ExplainTrace.LossStep;
import dev.jgrad.explain.ExplainTrace.OptimizerStep;
import dev.jgrad.explain.ExplainTrace.ParameterCheck;
import dev.jgrad.explain.ExplainTrace.Quantity;
import dev.jgrad.explain.ExplainTrace.SampleLoss;
import dev.jgrad.explain.ExplainTrace.Symbol;
import dev.jgrad.explain.ExplainTrace.Value;
import dev.jgrad.hand.HandStep;
import dev.jgrad.hand.NdArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The Markdown form of a trace: prose and headings, LaTeX in {@code ```math} blocks and
 * {@code $`...`$} inline, the two forms GitHub renders without escaping trouble.
 */
final class MarkdownWriter {
    private final Fmt fmt;
    private final StringBuilder b = new StringBuilder();

    MarkdownWriter(Fmt fmt) {
        this.fmt = fmt;
    }

    private void line(String s) {
        b.append(s).append('\n');
    }

    private void para(String s) {
        line(s);
        line("");
    }

    private void math(String latex) {
        line("```math");
        line(latex);
        line("```");
        line("");
    }

    private static String inline(String latex) {
        return "$`" + latex + "`$";
    }

    private static String code(String s) {
        return "`" + s.replace("`", "'") + "`";
    }

    private String m(NdArray a) {
        return fmt.latex(a);
    }

    /** A matrix, with a note of what summarising left out. */
    private void mathValue(String lhs, NdArray v) {
        math(lhs + " = " + m(v));
        if (!fmt.small(v)) {
            para("(summarised: " + Fmt.summary(v) + ")");
        }
    }

    private static String check(Check c, String what, String against) {
        return (c.ok() ? "✓ " : "✗ ") + what + " " + (c.ok() ? "equals " : "differs from ") + against
                + " (largest difference " + Fmt.diff(c.maxDiff()) + ")";
    }

    String write(ExplainTrace t) {
        ExplainTrace.Setup s = t.setup();
        para("# jgrad explain: " + s.title());
        line("```");
        line(s.model());
        line("```");
        line("");
        para("**Loss:** " + s.loss() + (s.optimizer() != null ? ". **Optimizer:** " + s.optimizer() : "") + "."
                + (s.sample() != null ? " **Sample " + s.sample() + "** alone, as a batch of one (m = 1)." : ""));
        para("✓ means the value worked out by hand (plain arrays, as the notebook does with numpy) equals jgrad's within "
                + PyFormat.repr(s.tolerance()) + " × (1 + its largest magnitude).");
        List<String> data = new ArrayList<>();
        for (Value v : s.data()) {
            data.add(v.name().latex() + " = " + m(v.value()));
        }
        math(String.join(" \\qquad ", data));
        para("Each row of " + inline("X") + " is one sample; " + inline("A^{[0]} = X") + ".");

        para("## 1. Forward propagation");
        for (ForwardStep f : t.forward()) {
            forward(f);
        }
        para("## 2. Loss per sample, and the cost");
        loss(t.loss(), t.forward().get(t.forward().size() - 1).output(), LossKind.fromName(t.loss().kind()).outputSymbol());
        para("## 3. Backward propagation, node by node in the order autograd runs them");
        para(inline("G") + " is the gradient of the node's output, " + inline("\\partial J / \\partial(\\text{output})")
                + "; it starts as " + inline("\\partial J / \\partial J = 1") + ". Each node multiplies " + inline("G")
                + " by its local derivative, as its op declares it, and passes the result to its inputs.");
        for (BackwardNode n : t.backward()) {
            backward(n);
        }
        para("## 4. Each parameter's gradient: by hand and by autograd");
        line("| parameter | by hand | autograd | |");
        line("|---|---|---|---|");
        for (ParameterCheck p : t.parameters()) {
            line("| " + inline(p.symbol().latex()) + " " + code(p.name()) + " | " + inline(m(p.check().hand())) + " | "
                    + inline(m(p.check().actual())) + " | " + ExplainRenderer.mark(p.check()) + " " + Fmt.diff(p.check().maxDiff()) + " |");
        }
        line("");
        if (t.optimizer() != null) {
            para("## 5. Optimizer step: " + t.optimizer());
            for (OptimizerStep o : t.optimizerSteps()) {
                para("### " + inline(o.symbol().latex()) + " " + code(o.parameter()));
                List<String> rows = new ArrayList<>();
                for (Quantity q : o.quantities()) {
                    rows.add(q.name().latex() + " &= " + q.formula().latex() + " = " + m(q.value()));
                }
                math("\\begin{aligned} " + String.join(" \\\\ ", rows) + " \\end{aligned}");
                para(check(o.check(), "the new value", "the optimizer's"));
            }
        }
        para("**" + ExplainRenderer.summary(t) + "**");
        return b.toString().stripTrailing() + "\n";
    }

    private void forward(ForwardStep f) {
        para("### " + code(f.module()) + ": " + code(f.moduleRepr().replace("\n", " ")));
        if (f.note() != null) {
            para("(" + f.note() + ")");
        }
        List<Value> ops = f.operands();
        if (f.kind().equals("linear")) {
            math(f.formula().latex());
            Value a = ops.get(0);
            Value wt = ops.get(1);
            Value prod = ops.get(2);
            para(inline(wt.name().latex()) + " is " + code(wt.note()) + "; each row of the result is one sample.");
            if (ops.size() > 3) {
                Value bias = ops.get(3);
                Value bb = ops.get(4);
                math(f.output().latex() + " = " + m(a.value()) + " \\cdot " + m(wt.value()) + " + " + m(bias.value()));
                para("The product, then the bias " + inline(bias.name().latex()) + " (" + code(bias.note())
                        + ") broadcast to the shape " + Fmt.shape(prod.value().shape()) + ", one copy per sample:");
                math(f.output().latex() + " = " + m(prod.value()) + " + " + m(bb.value()) + " = " + m(f.check().hand()));
            } else {
                math(f.output().latex() + " = " + m(a.value()) + " \\cdot " + m(wt.value()) + " = " + m(f.check().hand()));
            }
        } else if (f.kind().equals("elementwise")) {
            math(f.formula().latex() + ", \\qquad " + f.definition().latex());
            NdArray in = f.elementInput();
            if (in.numel() <= ExplainRenderer.MAX_SUBSTITUTIONS && in.dim() <= 2) {
                List<String> args = ExplainRenderer.nums(fmt, in, false);
                List<String> cells = new ArrayList<>();
                for (String x : args) {
                    cells.add(ExplainRenderer.fill(f.element().latex(), List.of(Fmt.latexNum(x))));
                }
                math(f.output().latex() + " = " + matrixOf(cells, in) + " = " + m(f.check().hand()));
            } else {
                math(f.output().latex() + " = " + m(f.check().hand()));
            }
        } else {
            math(f.formula().latex() + (f.definition() != null ? ", \\qquad " + f.definition().latex() : ""));
            for (Value v : ops) {
                mathValue(v.name().latex(), v.value());
                if (v.note() != null && !v.note().isEmpty()) {
                    para("(" + v.note() + ")");
                }
            }
            mathValue(f.output().latex(), f.check() != null ? f.check().hand() : f.actual());
        }
        if (f.check() != null) {
            para(check(f.check(), inline(f.output().latex()), "jgrad's forward pass"));
        }
    }

    /** A matrix of LaTeX cells laid out in {@code shape}'s rows. */
    private static String matrixOf(List<String> cells, NdArray shape) {
        int cols = shape.dim() == 2 ? shape.size(1) : cells.size();
        StringBuilder s = new StringBuilder("\\begin{bmatrix} ");
        for (int i = 0; i < cells.size(); i++) {
            s.append(cells.get(i));
            s.append((i + 1) % cols == 0 ? (i + 1 < cells.size() ? " \\\\ " : " ") : " & ");
        }
        return s.append("\\end{bmatrix}").toString();
    }

    private void loss(LossStep l, Symbol output, String a) {
        math(l.perSample().latex());
        para("where " + inline(a + "^{(i)}") + " is the " + inline("i") + "-th row of " + inline(output.latex())
                + " (the model's output for sample " + inline("i") + ") and " + inline("y^{(i)}") + " the " + inline("i") + "-th row of "
                + inline("Y") + ".");
        List<String> rows = new ArrayList<>();
        for (SampleLoss s : ExplainRenderer.shownLosses(l.samples())) {
            rows.add(s == null ? "&\\vdots" : "L^{(" + s.sample() + ")} &= " + s.substituted().latex());
        }
        math("\\begin{aligned} " + String.join(" \\\\ ", rows) + " \\end{aligned}");
        para("The cost is the mean of the samples' losses:");
        math(l.cost().latex());
        math(l.costSubstituted().latex());
        para((l.ok() ? "✓" : "✗") + " jgrad's cost is " + code(PyFormat.repr(l.actual())) + " (difference "
                + Fmt.diff(Math.abs(l.hand() - l.actual())) + ").");
    }

    private void backward(BackwardNode n) {
        if (n.parameter() != null) {
            para("### [" + n.index() + "] `AccumulateGrad` of " + inline(n.output().latex()) + " " + code(n.parameter()));
        } else {
            para("### [" + n.index() + "] " + code(n.name()) + ", the grad_fn of " + inline(n.output().latex()));
            math(n.formula().latex());
        }
        String g = n.parameter() != null ? "G" : "G = \\frac{\\partial J}{\\partial " + n.output().latex() + "}";
        if (n.incoming().size() > 1) {
            List<String> parts = new ArrayList<>();
            for (Incoming c : n.incoming()) {
                parts.add(m(c.value()));
            }
            para("The gradient arrives by " + n.incoming().size() + " paths (from "
                    + String.join(", ", n.incoming().stream().map(c -> "[" + c.fromNode() + "] " + code(c.fromName())).toList())
                    + "); it is their sum:");
            math(g + " = " + String.join(" + ", parts) + (n.upstream() != null ? " = " + m(n.upstream()) : ""));
        } else if (n.upstream() != null) {
            mathValue(g, n.upstream());
        }
        if (n.autograd() != null) {
            para(check(n.autograd(), inline("G"), "autograd's " + code(n.output().text() + ".grad")));
        }
        if (n.problem() != null) {
            para("✗ " + n.problem());
            return;
        }
        if (n.parameter() != null) {
            para(inline(n.output().latex() + ".\\mathrm{grad} \\mathrel{+}= G") + ": the gradient of " + code(n.parameter()) + " is complete.");
            return;
        }
        for (Edge e : n.edges()) {
            edge(e);
        }
    }

    private void edge(Edge e) {
        HandStep s = e.step();
        String target = e.target().latex();
        para("**→ " + inline(e.symbol()) + " = " + inline(target) + "** (node [" + e.targetNode() + "] " + code(e.targetName()) + "): "
                + inline(s.latex()));
        List<String> parts = new ArrayList<>();
        for (HandStep.Operand o : s.operands()) {
            parts.add(o.latex() + " = " + m(o.value()));
        }
        if (!parts.isEmpty()) {
            math(String.join(", \\qquad ", parts));
        }
        if (s.local() != null) {
            if (s.elementText() != null && s.local().numel() <= ExplainRenderer.MAX_SUBSTITUTIONS && s.local().dim() <= 2) {
                List<String> subs = ExplainRenderer.substitutions(s, fmt, true);
                math(s.localLatex() + " = " + matrixOf(subs.stream().map(x -> x.substring(0, x.lastIndexOf(" = "))).toList(), s.local())
                        + " = " + m(s.local()));
            } else {
                math(s.localLatex() + " = " + m(s.local()));
            }
        }
        if (s.scaleLatex() != null) {
            String why = s.scaleText().contains(", ") ? ": " + s.scaleText().substring(s.scaleText().indexOf(", ") + 2) : "";
            para("times " + inline(s.scaleLatex()) + why + ".");
        }
        if (s.terms().size() > 1 && s.terms().size() <= ExplainRenderer.MAX_TERMS) {
            List<String> terms = new ArrayList<>();
            for (NdArray t : s.terms()) {
                terms.add(m(t));
            }
            para("A sum over the samples of " + inline(s.termsLatex()) + " (row " + inline("i") + " of each factor); " + inline("G")
                    + " carries the mean's " + inline("1/m") + ", so the sum is the average of the samples' own gradients:");
            math("\\frac{\\partial J}{\\partial " + target + "} = " + String.join(" + ", terms) + " = " + m(e.result()));
        } else if (!e.summedDims().isEmpty()) {
            para("The result has the broadcast shape " + Fmt.shape(s.result().shape()) + ", one row per sample; summed over "
                    + ExplainRenderer.dims(e.summedDims()) + " back to " + inline(target) + "'s shape " + Fmt.shape(e.result().shape())
                    + " (it was broadcast in the forward pass):");
            String over = e.summedDims().equals(List.of(0)) ? "\\text{rows}" : "\\text{" + ExplainRenderer.dims(e.summedDims()) + "}";
            math("\\frac{\\partial J}{\\partial " + target + "} = \\sum_{" + over + "} " + m(s.result()) + " = " + m(e.result()));
        } else {
            mathValue("\\frac{\\partial J}{\\partial " + target + "}", e.result());
        }
    }
}
