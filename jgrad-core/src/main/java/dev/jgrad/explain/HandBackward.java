package dev.jgrad.explain;

import dev.jgrad.storage.Shapes;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.Autograd;
import dev.jgrad.autograd.Derivative;
import dev.jgrad.autograd.Node;
import dev.jgrad.explain.ExplainTrace.BackwardNode;
import dev.jgrad.explain.ExplainTrace.Check;
import dev.jgrad.explain.ExplainTrace.Edge;
import dev.jgrad.explain.ExplainTrace.Incoming;
import dev.jgrad.explain.ExplainTrace.Symbol;
import dev.jgrad.hand.HandRule;
import dev.jgrad.hand.HandStep;
import dev.jgrad.hand.NdArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backward pass by hand: the nodes of a scalar's graph in the order autograd runs them, each
 * node's gradient summed over the paths it arrives by, then passed on through the hand rule its
 * op declares (plain arrays, never the node's backward function), summed back over broadcast
 * dimensions where an input was broadcast. Must run before {@code backward()} frees the saved
 * tensors.
 */
final class HandBackward {
    private final Tensor root;
    private final Map<Node, Symbol> nodeNames;
    private final Map<Tensor, Symbol> leafNames;
    private final Map<Tensor, String> leafParams;
    private final List<Node> order;
    private final Map<Node, Integer> index = new IdentityHashMap<>();
    private final Map<Tensor, NdArray> leafGrads = new IdentityHashMap<>();
    private final List<Work> work = new ArrayList<>();

    /** A node worked out, before autograd's gradients exist to compare with. */
    private record Work(int index, Node node, List<Incoming> incoming, NdArray upstream, List<Edge> edges,
                        String parameter, String problem) {
    }

    HandBackward(Tensor root, Map<Tensor, Symbol> tensorNames, Map<Tensor, Symbol> leafNames, Map<Tensor, String> leafParams) {
        this.root = root;
        this.leafNames = leafNames;
        this.leafParams = leafParams;
        this.nodeNames = new IdentityHashMap<>();
        for (Map.Entry<Tensor, Symbol> e : tensorNames.entrySet()) {
            if (e.getKey().gradFn() != null) {
                nodeNames.put(e.getKey().gradFn(), e.getValue());
            }
        }
        this.order = Autograd.backwardOrder(root);
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i + 1);
        }
    }

    /** Works every node out by hand. */
    HandBackward run() {
        Map<Node, List<Incoming>> arriving = new IdentityHashMap<>();
        List<Incoming> start = new ArrayList<>();
        start.add(new Incoming(0, "start", NdArray.scalar(1).reshape(root.shape()).broadcastTo(root.shape())));
        arriving.put(order.get(0), start);
        for (Node node : order) {
            int k = index.get(node);
            List<Incoming> in = arriving.getOrDefault(node, List.of());
            NdArray g = null;
            for (Incoming c : in) {
                g = g == null ? c.value() : g.add(c.value());
            }
            Tensor leaf = node.variable();
            if (leaf != null) {
                if (g != null) {
                    leafGrads.put(leaf, g);
                }
                work.add(new Work(k, node, in, g, List.of(), leafParams.get(leaf),
                        g == null ? "no gradient arrived by hand: an earlier node could not be worked out" : null));
                continue;
            }
            if (g == null) {
                work.add(new Work(k, node, in, null, List.of(), null,
                        "no gradient arrived by hand: an earlier node could not be worked out"));
                continue;
            }
            HandRule rule = node.derivative().handRule();
            if (rule == null) {
                work.add(new Work(k, node, in, g, List.of(), null, node.name() + " declares no hand rule for its derivative"));
                continue;
            }
            List<Tensor> saved = node.savedTensors();
            NdArray[] values = new NdArray[saved.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = NdArray.of(saved.get(i));
            }
            HandStep[] steps = rule.apply(g, values);
            List<Edge> edges = new ArrayList<>();
            String problem = null;
            List<Node> next = node.nextFunctions();
            List<String> symbols = node.derivative().inputSymbols();
            for (int i = 0; i < next.size(); i++) {
                Node child = next.get(i);
                if (child == null) {
                    continue;
                }
                HandStep step = i < steps.length ? steps[i] : null;
                if (step == null) {
                    problem = node.name() + "'s hand rule gives no gradient for input " + i;
                    continue;
                }
                int[] shape = node.inputShape(i);
                NdArray r = step.result();
                List<Integer> summed = new ArrayList<>();
                if (!Arrays.equals(r.shape(), shape)) {
                    if (Shapes.broadcastsTo(shape, r.shape())) {
                        summed = summedDims(shape, r.shape());
                        r = r.sumTo(shape);
                    } else {
                        r = r.reshape(shape);
                    }
                }
                String symbol = i < symbols.size() ? symbols.get(i) : "input " + i;
                edges.add(new Edge(i, symbol, label(child), index.get(child), child.name(), step, summed, r));
                arriving.computeIfAbsent(child, c -> new ArrayList<>()).add(new Incoming(k, node.name(), r));
            }
            work.add(new Work(k, node, in, g, edges, null, problem));
        }
        return this;
    }

    private static List<Integer> summedDims(int[] small, int[] big) {
        List<Integer> dims = new ArrayList<>();
        int lead = big.length - small.length;
        for (int d = 0; d < big.length; d++) {
            if (d < lead || (small[d - lead] == 1 && big[d] != 1)) {
                dims.add(d);
            }
        }
        return dims;
    }

    /** The name of the tensor a node produces: a forward symbol, a parameter, Wᵀ of a named W, or the node's name. */
    Symbol label(Node node) {
        if (node.variable() != null) {
            Symbol s = leafNames.get(node.variable());
            String leaf = "leaf " + node.variable().shapeString();
            return s != null ? s : Symbol.of(leaf, "\\text{" + leaf + "}");
        }
        Symbol s = nodeNames.get(node);
        if (s != null) {
            return s;
        }
        if ((node.name().equals("TBackward0") || node.name().equals("TransposeBackward0")) && node.inputCount() == 1
                && node.nextFunctions().get(0) != null && node.nextFunctions().get(0).variable() != null) {
            Symbol w = leafNames.get(node.nextFunctions().get(0).variable());
            if (w != null) {
                return Symbol.of(w.text() + "ᵀ", "{" + w.latex() + "}^\\top");
            }
        }
        String op = node.name().replaceAll("Backward\\d*$", "").toLowerCase(java.util.Locale.ROOT);
        Node only = null;
        for (Node n : node.nextFunctions()) {
            if (n != null) {
                if (only != null) {
                    only = null;
                    break;
                }
                only = n;
            }
        }
        if (only != null && (nodeNames.containsKey(only) || only.variable() != null)) {
            Symbol in = label(only);
            return Symbol.of(op + "(" + in.text() + ")", "\\mathrm{" + op + "}(" + in.latex() + ")");
        }
        return Symbol.of("output of " + node.name(), "\\text{output of " + node.name() + "}");
    }

    /** The hand gradient of each leaf reached. */
    Map<Tensor, NdArray> leafGrads() {
        return leafGrads;
    }

    /** The trace's nodes, with the upstream gradients of named tensors compared to autograd's retained {@code .grad}. */
    List<BackwardNode> nodes(Map<Tensor, Symbol> tensorNames, double tolerance) {
        Map<Node, Tensor> produced = new IdentityHashMap<>();
        for (Tensor t : tensorNames.keySet()) {
            if (t.gradFn() != null) {
                produced.put(t.gradFn(), t);
            }
        }
        List<BackwardNode> out = new ArrayList<>();
        for (Work w : work) {
            Derivative d = w.node().derivative();
            Check check = null;
            Tensor t = w.node().variable() != null ? w.node().variable() : produced.get(w.node());
            if (t != null && t != root && t.grad() != null && w.upstream() != null) {
                check = Check.of(w.upstream(), NdArray.of(t.grad()), tolerance);
            }
            out.add(new BackwardNode(w.index(), w.node().name(), Symbol.of(d.text(), d.latex()), label(w.node()),
                    d.inputSymbols(), w.incoming(), w.upstream(), w.edges(), w.parameter(), check, w.problem()));
        }
        return out;
    }
}
