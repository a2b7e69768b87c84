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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a trace, every value in full: arrays are {@code {"shape": [...], "values": [...]}}
 * (row-major, Python's repr of each double; NaN and infinities as the strings "nan", "inf", "-inf"),
 * formulas {@code {"text": ..., "latex": ...}}. Pretty-printed, number arrays on one line.
 */
final class JsonWriter {
    private JsonWriter() {
    }

    /** A number array printed on one line. */
    private record Inline(List<Object> items) {
    }

    static String write(ExplainTrace t) {
        StringBuilder b = new StringBuilder();
        emit(trace(t), b, 0);
        return b.append('\n').toString();
    }

    private static Map<String, Object> trace(ExplainTrace t) {
        ExplainTrace.Setup s = t.setup();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("format", "jgrad-explain/1");
        o.put("title", s.title());
        o.put("model", s.model());
        o.put("loss", s.loss());
        o.put("optimizer", s.optimizer());
        o.put("sample", s.sample());
        o.put("batch", s.batch());
        o.put("tolerance", s.tolerance());
        List<Object> data = new ArrayList<>();
        for (Value v : s.data()) {
            data.add(value(v));
        }
        o.put("data", data);
        List<Object> fw = new ArrayList<>();
        for (ForwardStep f : t.forward()) {
            fw.add(forward(f));
        }
        o.put("forward", fw);
        o.put("cost", loss(t.loss()));
        List<Object> bw = new ArrayList<>();
        for (BackwardNode n : t.backward()) {
            bw.add(node(n));
        }
        o.put("backward", bw);
        List<Object> ps = new ArrayList<>();
        for (ParameterCheck p : t.parameters()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("symbol", sym(p.symbol()));
            m.put("hand", arr(p.check().hand()));
            m.put("autograd", arr(p.check().actual()));
            m.put("maxDiff", p.check().maxDiff());
            m.put("ok", p.check().ok());
            ps.add(m);
        }
        o.put("parameters", ps);
        List<Object> os = new ArrayList<>();
        for (OptimizerStep st : t.optimizerSteps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("parameter", st.parameter());
            m.put("symbol", sym(st.symbol()));
            List<Object> qs = new ArrayList<>();
            for (Quantity q : st.quantities()) {
                Map<String, Object> qm = new LinkedHashMap<>();
                qm.put("name", sym(q.name()));
                qm.put("formula", sym(q.formula()));
                qm.put("value", arr(q.value()));
                qs.add(qm);
            }
            m.put("quantities", qs);
            m.put("check", check(st.check()));
            os.add(m);
        }
        o.put("optimizerSteps", os);
        o.put("allChecksPass", t.allChecksPass());
        return o;
    }

    private static Object sym(Symbol s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", s.text());
        m.put("latex", s.latex());
        return m;
    }

    private static Object arr(NdArray a) {
        if (a == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> shape = new ArrayList<>();
        for (int d : a.shape()) {
            shape.add(d);
        }
        List<Object> values = new ArrayList<>();
        for (double v : a.values()) {
            values.add(v);
        }
        m.put("shape", new Inline(shape));
        m.put("values", new Inline(values));
        return m;
    }

    private static Object value(Value v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", sym(v.name()));
        m.put("note", v.note());
        m.put("value", arr(v.value()));
        return m;
    }

    private static Object check(Check c) {
        if (c == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", c.ok());
        m.put("maxDiff", c.maxDiff());
        m.put("hand", arr(c.hand()));
        m.put("actual", arr(c.actual()));
        return m;
    }

    private static Object forward(ForwardStep f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", f.kind());
        m.put("module", f.module());
        m.put("moduleRepr", f.moduleRepr());
        m.put("output", sym(f.output()));
        m.put("formula", sym(f.formula()));
        m.put("definition", sym(f.definition()));
        List<Object> ops = new ArrayList<>();
        for (Value v : f.operands()) {
            ops.add(value(v));
        }
        m.put("operands", ops);
        m.put("element", sym(f.element()));
        m.put("value", arr(f.actual()));
        m.put("check", check(f.check()));
        m.put("note", f.note());
        return m;
    }

    private static Object loss(LossStep l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", l.kind());
        m.put("perSample", sym(l.perSample()));
        List<Object> ss = new ArrayList<>();
        for (SampleLoss s : l.samples()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("sample", s.sample());
            sm.put("substituted", sym(s.substituted()));
            sm.put("value", s.value());
            ss.add(sm);
        }
        m.put("samples", ss);
        m.put("cost", sym(l.cost()));
        m.put("costSubstituted", sym(l.costSubstituted()));
        m.put("hand", l.hand());
        m.put("actual", l.actual());
        m.put("ok", l.ok());
        return m;
    }

    private static Object node(BackwardNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", n.index());
        m.put("name", n.name());
        m.put("output", sym(n.output()));
        m.put("parameter", n.parameter());
        m.put("formula", sym(n.formula()));
        m.put("inputSymbols", new ArrayList<Object>(n.inputSymbols()));
        List<Object> in = new ArrayList<>();
        for (Incoming c : n.incoming()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("from", c.fromNode());
            cm.put("fromName", c.fromName());
            cm.put("value", arr(c.value()));
            in.add(cm);
        }
        m.put("incoming", in);
        m.put("gradient", arr(n.upstream()));
        m.put("autograd", check(n.autograd()));
        m.put("problem", n.problem());
        List<Object> edges = new ArrayList<>();
        for (Edge e : n.edges()) {
            edges.add(edge(e));
        }
        m.put("edges", edges);
        return m;
    }

    private static Object edge(Edge e) {
        HandStep s = e.step();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", e.input());
        m.put("symbol", e.symbol());
        m.put("target", sym(e.target()));
        m.put("targetNode", e.targetNode());
        m.put("targetName", e.targetName());
        m.put("expression", sym(Symbol.of(s.text(), s.latex())));
        List<Object> ops = new ArrayList<>();
        for (HandStep.Operand o : s.operands()) {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("name", sym(Symbol.of(o.text(), o.latex())));
            om.put("value", arr(o.value()));
            ops.add(om);
        }
        m.put("operands", ops);
        if (s.local() != null) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("formula", sym(Symbol.of(s.localText(), s.localLatex())));
            lm.put("element", s.elementText() == null ? null : sym(Symbol.of(s.elementText(), s.elementLatex())));
            lm.put("value", arr(s.local()));
            m.put("local", lm);
        } else {
            m.put("local", null);
        }
        if (s.scaleText() != null) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("factor", s.scale());
            sm.put("why", sym(Symbol.of(s.scaleText(), s.scaleLatex())));
            m.put("scale", sm);
        } else {
            m.put("scale", null);
        }
        if (!s.terms().isEmpty()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("term", sym(Symbol.of(s.termsText(), s.termsLatex())));
            List<Object> vals = new ArrayList<>();
            for (NdArray t : s.terms()) {
                vals.add(arr(t));
            }
            tm.put("values", vals);
            m.put("terms", tm);
        } else {
            m.put("terms", null);
        }
        m.put("stepResult", arr(s.result()));
        List<Object> dims = new ArrayList<>(e.summedDims());
        m.put("summedDims", new Inline(dims));
        m.put("gradient", arr(e.result()));
        return m;
    }

    // ------------------------------------------------------------------ printing

    private static void emit(Object v, StringBuilder b, int indent) {
        if (v instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) v;
            if (map.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                b.append("  ".repeat(indent + 1));
                dev.jgrad.io.Json.quote(String.valueOf(e.getKey()), b);
                b.append(": ");
                emit(e.getValue(), b, indent + 1);
                b.append(++i < map.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(indent)).append('}');
        } else if (v instanceof Inline) {
            b.append('[');
            List<Object> items = ((Inline) v).items();
            for (int i = 0; i < items.size(); i++) {
                b.append(i > 0 ? ", " : "");
                emit(items.get(i), b, indent);
            }
            b.append(']');
        } else if (v instanceof List) {
            List<?> list = (List<?>) v;
            if (list.isEmpty()) {
                b.append("[]");
                return;
            }
            b.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                b.append("  ".repeat(indent + 1));
                emit(list.get(i), b, indent + 1);
                b.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            b.append("  ".repeat(indent)).append(']');
        } else if (v instanceof String) {
            dev.jgrad.io.Json.quote((String) v, b);
        } else if (v instanceof Double) {
            double d = (Double) v;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                dev.jgrad.io.Json.quote(PyFormat.repr(d), b);
            } else {
                b.append(PyFormat.repr(d));
            }
        } else {
            b.append(v);
        }
    }

}
