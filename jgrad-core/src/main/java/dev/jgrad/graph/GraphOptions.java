package dev.jgrad.graph;

import dev.jgrad.Tensor;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Parameter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a picture of an autograd graph shows: names of parameters and intermediate tensors,
 * optionally their values and gradients (summarised when large), the tensors saved for backward,
 * each node's local derivative, and modules as boxes around their nodes or collapsed into one node.
 * <pre>{@code
 * GraphOptions o = new GraphOptions().names(model).name(z1, "Z[1]").values(true).grads(true);
 * String dot = Graphs.toDot(loss, o.group("linear1", x, z1).collapse(true));
 * }</pre>
 */
public final class GraphOptions {
    /** A module's part of the graph: the nodes between its input and its output. */
    public record Group(String label, Tensor input, Tensor output) {
    }

    final Map<Tensor, String> names = new IdentityHashMap<>();
    final List<Group> groups = new ArrayList<>();
    boolean values;
    boolean grads;
    boolean saved;
    boolean formulas;
    boolean collapse;
    int maxElements = 6;

    /** Names every parameter of {@code model} as {@code named_parameters()} does ({@code linear1.weight}). */
    public GraphOptions names(Module model) {
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            names.put(e.getValue(), e.getKey());
        }
        return this;
    }

    /** Names a tensor: a leaf's variable node, or the node that produced it (e.g. {@code Z[1]}). */
    public GraphOptions name(Tensor t, String name) {
        names.put(t, name);
        return this;
    }

    /** Shows the values of named tensors, parameters and saved tensors (default off). */
    public GraphOptions values(boolean on) {
        this.values = on;
        return this;
    }

    /** Shows the gradients of parameters and of named tensors that retain them, after backward (default off). */
    public GraphOptions grads(boolean on) {
        this.grads = on;
        return this;
    }

    /** Shows the tensors saved for backward, in orange as torchviz's show_saved (default off). */
    public GraphOptions saved(boolean on) {
        this.saved = on;
        return this;
    }

    /** Shows each node's local derivative as its op declares it (default off). */
    public GraphOptions formulas(boolean on) {
        this.formulas = on;
        return this;
    }

    /** Draws each group as one node instead of a box around its nodes (default off). */
    public GraphOptions collapse(boolean on) {
        this.collapse = on;
        return this;
    }

    /** Values with more elements than this are summarised (shape and norm). */
    public GraphOptions maxElements(int n) {
        this.maxElements = n;
        return this;
    }

    /** A module: the nodes that lead from {@code input} to {@code output} belong to it. */
    public GraphOptions group(String label, Tensor input, Tensor output) {
        groups.add(new Group(label, input, output));
        return this;
    }
}
