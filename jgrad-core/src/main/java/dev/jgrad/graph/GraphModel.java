package dev.jgrad.graph;

import dev.jgrad.PrintOptions;
import dev.jgrad.PyFormat;
import dev.jgrad.Tensor;
import dev.jgrad.TensorText;
import dev.jgrad.autograd.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The nodes and edges of a picture, before DOT or SVG: built from a tensor's autograd graph. */
final class GraphModel {
    static final String FN = "lightgrey";
    static final String VARIABLE = "lightblue";
    static final String SAVED = "orange";
    static final String OUTPUT = "darkolivegreen1";
    static final String MODULE = "lightyellow";

    /** One box: an id, its label lines, its fill colour and its group (null: none). */
    static final class Box {
        final String id;
        final List<String> lines;
        final String fill;
        String group;

        Box(String id, List<String> lines, String fill) {
            this.id = id;
            this.lines = lines;
            this.fill = fill;
        }
    }

    /** An arrow from an input to the node that uses it; dashed for saved tensors. */
    record Arrow(String from, String to, boolean dashed) {
    }

    final List<Box> boxes = new ArrayList<>();
    final List<Arrow> arrows = new ArrayList<>();
    final Map<String, String> groupLabels = new LinkedHashMap<>();

    private final GraphOptions opts;
    private final Map<Object, Box> byObject = new IdentityHashMap<>();
    private final Map<Node, Tensor> produced = new IdentityHashMap<>();
    private final PrintOptions print;

    private GraphModel(GraphOptions opts) {
        this.opts = opts;
        this.print = PrintOptions.defaults().withThreshold(opts.maxElements).withEdgeItems(2).withLineWidth(60);
        for (Tensor t : opts.names.keySet()) {
            if (t.gradFn() != null) {
                produced.put(t.gradFn(), t);
            }
        }
    }

    static GraphModel of(Tensor root, GraphOptions opts) {
        GraphModel m = new GraphModel(opts);
        m.build(root);
        return m.collapsed();
    }

    private int ids;

    private String nextId() {
        return "n" + ids++;
    }

    private static String size(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** A tensor's values as label lines, summarised past the limit. */
    private List<String> valueLines(String prefix, Tensor t) {
        List<String> out = new ArrayList<>();
        String body = TensorText.body(t.detach(), print, prefix.length());
        String[] rows = body.split("\n");
        for (int i = 0; i < rows.length; i++) {
            out.add((i == 0 ? prefix : "") + rows[i]);
        }
        if (t.numel() > opts.maxElements) {
            double s = 0;
            for (double v : t.toDoubleArray()) {
                s += v * v;
            }
            out.add("norm " + PyFormat.fixed(Math.sqrt(s), 4));
        }
        return out;
    }

    private void build(Tensor root) {
        Node top = root.gradFn();
        if (top == null) {
            variable(root);
            return;
        }
        Deque<Node> stack = new ArrayDeque<>();
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        stack.push(top);
        seen.add(top);
        List<Node> order = new ArrayList<>();
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            order.add(n);
            List<Node> next = n.nextFunctions();
            for (int i = next.size() - 1; i >= 0; i--) {
                Node c = next.get(i);
                if (c != null && seen.add(c)) {
                    stack.push(c);
                }
            }
        }
        for (Node n : order) {
            fn(n);
        }
        for (Node n : order) {
            for (Node c : n.nextFunctions()) {
                if (c != null) {
                    arrows.add(new Arrow(byObject.get(c).id, byObject.get(n).id, false));
                }
            }
            if (opts.saved && n.variable() == null) {
                savedOf(n);
            }
        }
        List<String> out = new ArrayList<>();
        String name = opts.names.get(root);
        out.add((name != null ? name + " " : "") + size(root.shape()));
        if (opts.values) {
            out.addAll(valueLines("", root));
        }
        Box o = new Box(nextId(), out, OUTPUT);
        boxes.add(o);
        arrows.add(new Arrow(byObject.get(top).id, o.id, false));
        assignGroups();
    }

    private Box fn(Node n) {
        List<String> lines = new ArrayList<>();
        lines.add(n.name());
        Tensor t = produced.get(n);
        if (t != null) {
            lines.add(opts.names.get(t) + " " + size(t.shape()));
            if (opts.values) {
                lines.addAll(valueLines("", t));
            }
            if (opts.grads && t.grad() != null) {
                lines.addAll(valueLines("grad ", t.grad()));
            }
        }
        if (opts.formulas && n.variable() == null) {
            lines.add(n.formula());
        }
        Box b = new Box(nextId(), lines, FN);
        byObject.put(n, b);
        boxes.add(b);
        if (n.variable() != null) {
            Box v = variable(n.variable());
            arrows.add(new Arrow(v.id, b.id, false));
        }
        return b;
    }

    private Box variable(Tensor leaf) {
        Box existing = byObject.get(leaf);
        if (existing != null) {
            return existing;
        }
        List<String> lines = new ArrayList<>();
        String name = opts.names.get(leaf);
        lines.add((name != null ? name + " " : "") + size(leaf.shape()));
        if (opts.values) {
            lines.addAll(valueLines("", leaf));
        }
        if (opts.grads && leaf.grad() != null) {
            lines.addAll(valueLines("grad ", leaf.grad()));
        }
        Box b = new Box(nextId(), lines, VARIABLE);
        byObject.put(leaf, b);
        boxes.add(b);
        return b;
    }

    private void savedOf(Node n) {
        List<Tensor> saved;
        try {
            saved = n.savedTensors();
        } catch (IllegalStateException freed) {
            return; // freed by a backward pass without retainGraph
        }
        Box fnBox = byObject.get(n);
        for (int i = 0; i < saved.size(); i++) {
            Tensor s = saved.get(i);
            Box b = byObject.get(s);
            if (b == null) {
                List<String> lines = new ArrayList<>();
                lines.add(savedName(s) + " " + size(s.shape()));
                if (opts.values) {
                    lines.addAll(valueLines("", s));
                }
                b = new Box(nextId(), lines, SAVED);
                byObject.put(s, b);
                boxes.add(b);
            }
            arrows.add(new Arrow(b.id, fnBox.id, true));
        }
    }

    /** A saved tensor's name: its own, Wᵀ for the transpose of a named parameter, else "saved". */
    private String savedName(Tensor s) {
        String name = opts.names.get(s);
        if (name != null) {
            return name;
        }
        Node fn = s.gradFn();
        if (fn != null && (fn.name().equals("TBackward0") || fn.name().equals("TransposeBackward0"))
                && fn.nextFunctions().get(0) != null && fn.nextFunctions().get(0).variable() != null) {
            String w = opts.names.get(fn.nextFunctions().get(0).variable());
            if (w != null) {
                return w + "ᵀ";
            }
        }
        return "saved";
    }

    /** Each group claims the nodes that lead from its output back to (not including) its input. */
    private void assignGroups() {
        int k = 0;
        for (GraphOptions.Group g : opts.groups) {
            String gid = "g" + k++;
            groupLabels.put(gid, g.label());
            Node stop = g.input() == null ? null : g.input().gradFn();
            Node start = g.output().gradFn();
            if (start == null || start == stop) {
                continue;
            }
            Deque<Node> stack = new ArrayDeque<>();
            Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            stack.push(start);
            seen.add(start);
            while (!stack.isEmpty()) {
                Node n = stack.pop();
                Box b = byObject.get(n);
                if (b == null || b.group != null) {
                    continue;
                }
                b.group = gid;
                if (n.variable() != null) {
                    Box v = byObject.get(n.variable());
                    if (v != null && v.group == null) {
                        v.group = gid;
                    }
                }
                for (Node c : n.nextFunctions()) {
                    if (c != null && c != stop && seen.add(c)) {
                        stack.push(c);
                    }
                }
            }
            for (Arrow a : arrows) {
                if (a.dashed()) {
                    Box to = find(a.to());
                    Box from = find(a.from());
                    if (to != null && gid.equals(to.group) && from != null && from.group == null) {
                        from.group = gid;
                    }
                }
            }
        }
    }

    Box find(String id) {
        for (Box b : boxes) {
            if (b.id.equals(id)) {
                return b;
            }
        }
        return null;
    }

    /** With collapse: one box per group listing its nodes and parameters; arrows between groups kept once. */
    private GraphModel collapsed() {
        if (!opts.collapse || groupLabels.isEmpty()) {
            return this;
        }
        Map<String, Box> groupBox = new LinkedHashMap<>();
        Map<String, List<String>> fns = new LinkedHashMap<>();
        Map<String, List<String>> params = new LinkedHashMap<>();
        Map<String, List<String>> named = new LinkedHashMap<>();
        List<Box> kept = new ArrayList<>();
        Map<String, String> redirect = new LinkedHashMap<>();
        for (Box b : boxes) {
            if (b.group == null) {
                kept.add(b);
                continue;
            }
            Box gb = groupBox.get(b.group);
            if (gb == null) {
                gb = new Box(b.group, new ArrayList<>(), MODULE);
                groupBox.put(b.group, gb);
                kept.add(gb);
                fns.put(b.group, new ArrayList<>());
                params.put(b.group, new ArrayList<>());
                named.put(b.group, new ArrayList<>());
            }
            redirect.put(b.id, gb.id);
            if (b.fill.equals(FN)) {
                if (!b.lines.get(0).equals("AccumulateGrad")) {
                    fns.get(b.group).add(b.lines.get(0));
                    named.get(b.group).addAll(b.lines.subList(1, b.lines.size()));
                }
            } else if (b.fill.equals(VARIABLE)) {
                params.get(b.group).add(b.lines.get(0));
            }
        }
        for (Map.Entry<String, Box> e : groupBox.entrySet()) {
            Box gb = e.getValue();
            gb.lines.add(groupLabels.get(e.getKey()));
            gb.lines.add(String.join(", ", new LinkedHashSet<>(fns.get(e.getKey()))));
            gb.lines.addAll(named.get(e.getKey()));
            gb.lines.addAll(params.get(e.getKey()));
        }
        Set<Arrow> arrowsOut = new LinkedHashSet<>();
        for (Arrow a : arrows) {
            String f = redirect.getOrDefault(a.from(), a.from());
            String t = redirect.getOrDefault(a.to(), a.to());
            if (!f.equals(t)) {
                arrowsOut.add(new Arrow(f, t, a.dashed()));
            }
        }
        boxes.clear();
        boxes.addAll(kept);
        arrows.clear();
        arrows.addAll(arrowsOut);
        groupLabels.clear();
        return this;
    }
}
