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
import dev.jgrad.explain.ExplainTrace.Value;
import dev.jgrad.hand.HandStep;
import dev.jgrad.hand.NdArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an {@link ExplainTrace} as plain text (a terminal), Markdown with LaTeX math that
 * renders on GitHub ({@code ```math} blocks and {@code $`...`$} inline), or JSON (every node,
 * value and gradient, for other tools). Matrices print as PyTorch prints them; those with more
 * than {@code maxElements} elements are summarised (edge items, shape, norm).
 * <pre>{@code
 * String md = ExplainRenderer.markdown(trace, 100);
 * String json = ExplainRenderer.json(trace);
 * }</pre>
 */
public final class ExplainRenderer {
    /** Element-by-element substitutions are written out for arrays up to this size. */
    static final int MAX_SUBSTITUTIONS = 12;
    /** Per-sample terms of a sum are written out for batches up to this size. */
    static final int MAX_TERMS = 4;
    /** The default summarisation limit. */
    public static final int DEFAULT_MAX_ELEMENTS = 64;

    private ExplainRenderer() {
    }

    /** Plain text with the default summarisation limit. */
    public static String text(ExplainTrace t) {
        return text(t, DEFAULT_MAX_ELEMENTS);
    }

    /** Plain text; matrices larger than {@code maxElements} are summarised. */
    public static String text(ExplainTrace t, int maxElements) {
        return new TextWriter(new Fmt(maxElements)).write(t);
    }

    /** Markdown with GitHub LaTeX math and the default summarisation limit. */
    public static String markdown(ExplainTrace t) {
        return markdown(t, DEFAULT_MAX_ELEMENTS);
    }

    /** Markdown with GitHub LaTeX math; matrices larger than {@code maxElements} are summarised. */
    public static String markdown(ExplainTrace t, int maxElements) {
        return new MarkdownWriter(new Fmt(maxElements)).write(t);
    }

    /** The trace as JSON with every value in full. */
    public static String json(ExplainTrace t) {
        return JsonWriter.write(t);
    }

    // ------------------------------------------------------------------ shared

    static String mark(Check c) {
        return c.ok() ? "✓" : "✗";
    }

    /** {@code {0}}, {@code {1}}... of a template filled with strings, in one pass (inserted text is not scanned again). */
    static String fill(String template, List<String> args) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            int close = template.indexOf('}', i);
            if (c == '{' && close > i + 1 && close - i <= 3 && template.substring(i + 1, close).chars().allMatch(Character::isDigit)) {
                b.append(args.get(Integer.parseInt(template.substring(i + 1, close))));
                i = close + 1;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    static String ordinalSample(int i) {
        return "sample " + i;
    }

    /** Sample losses listed one by one, up to this many; longer batches show the first ones and the last. */
    static final int MAX_LOSS_LINES = 8;

    /** The samples' losses to list: all of them, or the first few and the last with null standing for the gap. */
    static List<SampleLoss> shownLosses(List<SampleLoss> all) {
        if (all.size() <= MAX_LOSS_LINES) {
            return all;
        }
        List<SampleLoss> out = new ArrayList<>(all.subList(0, MAX_LOSS_LINES - 2));
        out.add(null);
        out.add(all.get(all.size() - 1));
        return out;
    }

    static int countOk(List<Check> checks) {
        int n = 0;
        for (Check c : checks) {
            if (c.ok()) {
                n++;
            }
        }
        return n;
    }

    static List<Check> forwardChecks(ExplainTrace t) {
        List<Check> out = new ArrayList<>();
        for (ForwardStep f : t.forward()) {
            if (f.check() != null) {
                out.add(f.check());
            }
        }
        return out;
    }

    static List<Check> paramChecks(ExplainTrace t) {
        List<Check> out = new ArrayList<>();
        for (ParameterCheck p : t.parameters()) {
            out.add(p.check());
        }
        return out;
    }

    static List<Check> optimizerChecks(ExplainTrace t) {
        List<Check> out = new ArrayList<>();
        for (OptimizerStep o : t.optimizerSteps()) {
            out.add(o.check());
        }
        return out;
    }

    /** One line summing up every check. */
    static String summary(ExplainTrace t) {
        List<Check> f = forwardChecks(t);
        List<Check> p = paramChecks(t);
        List<Check> o = optimizerChecks(t);
        StringBuilder b = new StringBuilder(t.allChecksPass() ? "All checks ✓: " : "Some checks ✗: ");
        b.append("forward ").append(countOk(f)).append('/').append(f.size());
        b.append(", cost ").append(t.loss().ok() ? "✓" : "✗");
        b.append(", gradients ").append(countOk(p)).append('/').append(p.size());
        if (t.optimizer() != null) {
            b.append(", optimizer step ").append(countOk(o)).append('/').append(o.size());
        }
        return b.toString();
    }

    /** Where an edge leads: {@code A[2] (node [6] ReluBackward0)}. */
    static String target(Edge e) {
        return e.target().text() + " (node [" + e.targetNode() + "] " + e.targetName() + ")";
    }

    static String dims(List<Integer> dims) {
        if (dims.size() == 1) {
            return "dimension " + dims.get(0);
        }
        StringBuilder b = new StringBuilder("dimensions ");
        for (int i = 0; i < dims.size(); i++) {
            b.append(i > 0 ? ", " : "").append(dims.get(i));
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ text

    private static final class TextWriter {
        private final Fmt fmt;
        private final StringBuilder b = new StringBuilder();
        private int firstSample = 1;

        TextWriter(Fmt fmt) {
            this.fmt = fmt;
        }

        private void line(String s) {
            b.append(s).append('\n');
        }

        /** {@code label = value}, the value on the same line when it fits on one, else indented below. */
        private void value(int indent, String label, NdArray v) {
            String pad = " ".repeat(indent);
            String body = fmt.body(v, indent + 4);
            if (!body.contains("\n") && label.length() + body.length() + indent < 100) {
                line(pad + label + " = " + body);
            } else {
                line(pad + label + " =");
                line(pad + "    " + body);
            }
            if (!fmt.small(v)) {
                line(pad + "    (" + Fmt.summary(v) + ")");
            }
        }

        private void check(int indent, String what, Check c, String against) {
            line(" ".repeat(indent) + mark(c) + " " + what + " " + (c.ok() ? "equals " : "differs from ") + against
                    + " (largest difference " + Fmt.diff(c.maxDiff()) + ")");
        }

        String write(ExplainTrace t) {
            ExplainTrace.Setup s = t.setup();
            firstSample = s.sample() != null ? s.sample() : 1;
            line("jgrad explain: " + s.title());
            line("");
            line("Model: " + s.model().replace("\n", "\n       "));
            line("Loss: " + s.loss() + (s.optimizer() != null ? "; optimizer: " + s.optimizer() : ""));
            if (s.sample() != null) {
                line("Sample " + s.sample() + " alone, as a batch of one (m = 1).");
            }
            line("✓ means the value worked out by hand (plain arrays, as the notebook does with numpy) equals jgrad's");
            line("  within " + PyFormat.repr(s.tolerance()) + " × (1 + its largest magnitude).");
            line("");
            for (Value v : s.data()) {
                value(0, v.name().text() + " (" + v.note() + ")", v.value());
            }
            line("");
            line("== 1. Forward propagation, layer by layer ==");
            for (ForwardStep f : t.forward()) {
                forward(f);
            }
            line("");
            line("== 2. Loss per sample, and the cost ==");
            loss(t.loss(), t.forward().get(t.forward().size() - 1).output().text(), LossKind.fromName(t.loss().kind()).outputSymbol());
            line("");
            line("== 3. Backward propagation, node by node in the order autograd runs them ==");
            line("G is the gradient of the node's output, ∂J/∂(output); it starts as ∂J/∂J = 1. Each node multiplies G");
            line("by its local derivative (as its op declares it) and passes the result to its inputs.");
            for (BackwardNode n : t.backward()) {
                backward(n);
            }
            line("");
            line("== 4. Each parameter's gradient: by hand and by autograd ==");
            for (ParameterCheck p : t.parameters()) {
                line("");
                line(p.symbol().text() + " (" + p.name() + ")");
                value(2, "by hand ", p.check().hand());
                value(2, "autograd", p.check().actual());
                line("  " + mark(p.check()) + " largest difference " + Fmt.diff(p.check().maxDiff()));
            }
            if (t.optimizer() != null) {
                line("");
                line("== 5. Optimizer step: " + t.optimizer() + " ==");
                for (OptimizerStep o : t.optimizerSteps()) {
                    line("");
                    line(o.symbol().text() + " (" + o.parameter() + ")");
                    for (Quantity q : o.quantities()) {
                        value(2, q.name().text() + " = " + q.formula().text(), q.value());
                    }
                    check(2, "the new value", o.check(), "the optimizer's");
                }
            }
            line("");
            line(summary(t));
            return b.toString();
        }

        private void forward(ForwardStep f) {
            line("");
            line("-- " + f.module() + ": " + f.moduleRepr().replace("\n", " ") + " --");
            line(f.formula().text() + (f.definition() != null ? ", with " + f.definition().text() : ""));
            if (f.note() != null) {
                line("  (" + f.note() + ")");
            }
            for (Value v : f.operands()) {
                value(2, v.name().text() + (v.note() != null ? " (" + v.note() + ")" : ""), v.value());
            }
            if (f.element() != null && f.check() != null && f.elementInput().numel() <= MAX_SUBSTITUTIONS) {
                List<String> in = nums(fmt, f.elementInput(), false);
                List<String> out = nums(fmt, f.check().hand(), false);
                int cols = f.elementInput().dim() == 2 ? f.elementInput().size(1) : f.elementInput().numel();
                for (int i = 0; i < in.size(); i += cols) {
                    List<String> row = new ArrayList<>();
                    for (int j = i; j < i + cols; j++) {
                        row.add(fill(f.element().text(), List.of(in.get(j))) + " = " + out.get(j));
                    }
                    line("  " + String.join(",  ", row));
                }
            }
            if (f.check() != null) {
                value(2, f.output().text(), f.check().hand());
                check(2, f.output().text(), f.check(), "jgrad's forward pass");
            } else {
                value(2, f.output().text(), f.actual());
            }
        }

        private void loss(LossStep l, String output, String a) {
            line(l.perSample().text());
            line("  with " + a + "⁽ⁱ⁾ the i-th row of " + output + " (the model's output for sample i) and y⁽ⁱ⁾ the i-th row of Y");
            for (SampleLoss sl : shownLosses(l.samples())) {
                if (sl == null) {
                    line("  … (" + (l.samples().size() - MAX_LOSS_LINES + 1) + " more samples)");
                    continue;
                }
                line("  L⁽" + sup(sl.sample()) + "⁾ = " + sl.substituted().text());
            }
            line(l.cost().text());
            line("  " + l.costSubstituted().text());
            line("  " + (l.ok() ? "✓" : "✗") + " jgrad's cost is " + PyFormat.repr(l.actual()) + " (difference "
                    + Fmt.diff(Math.abs(l.hand() - l.actual())) + ")");
        }

        private void backward(BackwardNode n) {
            line("");
            if (n.parameter() != null) {
                line("[" + n.index() + "] AccumulateGrad of " + n.output().text() + " (" + n.parameter() + ")");
            } else {
                line("[" + n.index() + "] " + n.name() + ", the grad_fn of " + n.output().text());
                line("  derivative: " + n.formula().text());
            }
            incoming(n);
            if (n.problem() != null) {
                line("  ✗ " + n.problem());
                return;
            }
            if (n.parameter() != null) {
                line("  " + n.output().text() + ".grad += G: the gradient of " + n.parameter() + " is complete");
                return;
            }
            for (Edge e : n.edges()) {
                edge(e);
            }
        }

        private void incoming(BackwardNode n) {
            String g = n.parameter() != null ? "G" : "G = ∂J/∂" + n.output().text();
            if (n.incoming().size() > 1) {
                line("  " + g + " is the sum over the " + n.incoming().size() + " paths it arrives by:");
                for (Incoming c : n.incoming()) {
                    value(4, "from [" + c.fromNode() + "] " + c.fromName(), c.value());
                }
            }
            if (n.upstream() != null) {
                value(2, g, n.upstream());
            }
            if (n.autograd() != null) {
                check(4, "G", n.autograd(), "autograd's " + n.output().text() + ".grad");
            }
        }

        private void edge(Edge e) {
            HandStep s = e.step();
            line("  → " + e.symbol() + " = " + target(e) + ": " + s.text());
            for (HandStep.Operand o : s.operands()) {
                value(6, o.text(), o.value());
            }
            if (s.local() != null) {
                value(6, s.localText(), s.local());
                if (s.elementText() != null && s.local().numel() <= MAX_SUBSTITUTIONS) {
                    line("      element by element:");
                    for (String row : substitutions(s, fmt, false)) {
                        line("        " + row);
                    }
                }
            }
            if (s.scaleText() != null) {
                line("      × " + s.scaleText());
            }
            if (s.terms().size() > 1 && s.terms().size() <= MAX_TERMS) {
                line("      = Σᵢ " + s.termsText() + ";");
                line("        G carries the mean's 1/m, so this sum is the average of the samples' own gradients:");
                for (int i = 0; i < s.terms().size(); i++) {
                    value(8, ordinalSample(firstSample + i), s.terms().get(i));
                }
            }
            String grad = "∂J/∂" + e.target().text();
            if (!e.summedDims().isEmpty()) {
                value(6, "in the broadcast shape " + Fmt.shape(s.result().shape()) + ", one row per sample", s.result());
                line("      summed over " + dims(e.summedDims()) + " back to " + e.target().text() + "'s shape " + Fmt.shape(e.result().shape())
                        + " (it was broadcast in the forward pass):");
                value(6, grad, e.result());
            } else {
                value(6, grad, e.result());
            }
        }
    }

    /**
     * Every element as the array prints (one shared mode), integers bare ({@code 0}, not {@code 0.})
     * as in the notebook's hand formulas; negative ones in parentheses when {@code args}.
     */
    static List<String> nums(Fmt fmt, NdArray a, boolean args) {
        List<String> out = new ArrayList<>(fmt.elements(a));
        boolean ints = out.stream().allMatch(e -> e.endsWith("."));
        for (int i = 0; i < out.size(); i++) {
            String e = ints ? out.get(i).substring(0, out.get(i).length() - 1) : out.get(i);
            out.set(i, args && e.startsWith("-") ? "(" + e + ")" : e);
        }
        return out;
    }

    /** The element-by-element substitutions of a hand step: the formula with numbers, then the value. */
    static List<String> substitutions(HandStep s, Fmt fmt, boolean latex) {
        List<List<String>> args = new ArrayList<>();
        for (NdArray a : s.elementArgs()) {
            List<String> v = nums(fmt, a, true);
            if (latex) {
                v.replaceAll(Fmt::latexNum);
            }
            args.add(v);
        }
        List<String> loc = fmt.elements(s.local());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.local().numel(); i++) {
            List<String> ai = new ArrayList<>();
            for (List<String> a : args) {
                ai.add(a.get(a.size() == 1 ? 0 : i));
            }
            String v = latex ? Fmt.latexNum(loc.get(i)) : loc.get(i);
            out.add(fill(latex ? s.elementLatex() : s.elementText(), ai) + " = " + v);
        }
        return out;
    }

    /** Superscript digits for sample numbers: 12 → ¹². */
    static String sup(int n) {
        String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        StringBuilder b = new StringBuilder();
        for (char c : Integer.toString(n).toCharArray()) {
            b.append(digits.charAt(c - '0'));
        }
        return b.toString();
    }
}
