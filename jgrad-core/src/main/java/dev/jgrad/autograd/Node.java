package dev.jgrad.autograd;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node of the autograd graph: the backward function of one op (PyTorch's {@code grad_fn}),
 * named as PyTorch names it ({@code AddmmBackward0}), with edges to the nodes of its inputs.
 * Leaves that require grad are reached through an {@code AccumulateGrad} node.
 * <pre>{@code
 * Node fn = loss.gradFn();              // e.g. BinaryCrossEntropyBackward0
 * List<Node> next = fn.nextFunctions(); // the inputs' nodes, null where no grad flows
 * }</pre>
 */
public final class Node {
    private static final Derivative ACCUMULATE = Derivative.of("grad += G", "\\mathrm{grad} \\mathrel{+}= G");

    private final String name;
    private final Derivative derivative;
    private final Node[] next;
    private final int[][] inputShapes;
    private final DType[] inputDTypes;
    private final BackwardFn fn;
    private final SavedTensor[] saved;
    private final Tensor variable;
    private final long sequenceNr;
    private Tensor retained;

    // per-backward-pass bookkeeping of the engine (fields, not maps: no identity hashing per node)
    long runId = -1;
    int pending;
    int slot;
    /** Set by {@link Fusion}: this pass's gradient arrived with this node's mask applied already. */
    boolean gradMasked;

    Node(String name, Derivative derivative, Node[] next, int[][] inputShapes, DType[] inputDTypes,
         BackwardFn fn, Tensor[] saved, Tensor output, long sequenceNr) {
        this.name = name;
        this.derivative = derivative;
        this.next = next;
        this.inputShapes = inputShapes;
        this.inputDTypes = inputDTypes;
        this.fn = fn;
        this.saved = new SavedTensor[saved.length];
        for (int i = 0; i < saved.length; i++) {
            this.saved[i] = new SavedTensor(saved[i], saved[i] == output ? name : null);
        }
        this.variable = null;
        this.sequenceNr = sequenceNr;
    }

    private Node(Tensor leaf) {
        this.name = "AccumulateGrad";
        this.derivative = ACCUMULATE;
        this.next = new Node[0];
        this.inputShapes = new int[0][];
        this.inputDTypes = new DType[0];
        this.fn = null;
        this.saved = new SavedTensor[0];
        this.variable = leaf;
        this.sequenceNr = Long.MAX_VALUE; // as PyTorch: accumulate as soon as ready
    }

    /** The AccumulateGrad node of a leaf tensor that requires grad. */
    public static Node accumulateGrad(Tensor leaf) {
        return new Node(leaf);
    }

    /** PyTorch's class name of this backward function, e.g. {@code ReluBackward0}. */
    public String name() {
        return name;
    }

    /** The local derivative this node applies, as a formula for people (used by the explainer). */
    public String formula() {
        return derivative.text();
    }

    /** The local derivative as the op declared it beside its backward function: formulas and hand rule. */
    public Derivative derivative() {
        return derivative;
    }

    /**
     * The tensors the forward pass saved for this node's backward (PyTorch's {@code _saved_*}),
     * in the op's order; fails as PyTorch does if they were freed by a backward pass or modified
     * in place since.
     */
    public List<Tensor> savedTensors() {
        List<Tensor> out = new ArrayList<>(saved.length);
        for (SavedTensor s : saved) {
            out.add(s.unpack(this));
        }
        return Collections.unmodifiableList(out);
    }

    /** The number of inputs of the op (the length of {@link #nextFunctions()}). */
    public int inputCount() {
        return next.length;
    }

    /** The nodes of the inputs, in input order; null for inputs that need no gradient. */
    public List<Node> nextFunctions() {
        List<Node> list = new ArrayList<>(next.length);
        Collections.addAll(list, next);
        return Collections.unmodifiableList(list);
    }

    /** For an AccumulateGrad node: the leaf tensor it accumulates into; otherwise null. */
    public Tensor variable() {
        return variable;
    }

    /** Shapes of the inputs as seen by the forward pass (gradients are reduced to these). */
    public int[] inputShape(int i) {
        return inputShapes[i].clone();
    }

    int numInputs() {
        return next.length;
    }

    Node next(int i) {
        return next[i];
    }

    int[] inputShapeRef(int i) {
        return inputShapes[i];
    }

    DType inputDType(int i) {
        return inputDTypes[i];
    }

    long sequenceNr() {
        return sequenceNr;
    }

    boolean isAccumulateGrad() {
        return variable != null;
    }

    /** Internal: the tensor whose grad this node fills when it runs (retain_grad). */
    public void retain(Tensor t) {
        retained = t;
    }

    Tensor retained() {
        return retained;
    }

    /** Runs the backward function on the gradient of this node's output. */
    Tensor[] apply(Tensor gradOutput) {
        Tensor[] unpacked = new Tensor[saved.length];
        for (int i = 0; i < saved.length; i++) {
            unpacked[i] = saved[i].unpack(this);
        }
        Tensor[] grads = fn.apply(gradOutput, unpacked);
        if (grads.length != next.length) {
            throw new IllegalStateException("function " + name + " returned an incorrect number of gradients (expected "
                    + next.length + ", got " + grads.length + ")");
        }
        return grads;
    }

    BackwardFn fn() {
        return fn;
    }

    /** Saved tensor {@code i} when it can be unpacked (not freed, not modified in place since), else null. */
    Tensor savedIfValid(int i) {
        return i < saved.length ? saved[i].peek() : null;
    }

    /** Runs {@code masked}, this node's backward with a ReLU's mask fused in (see {@link Fusion}); null if it declined. */
    Tensor[] applyMasked(Tensor gradOutput, Fusion.MaskedBackwardFn masked, Tensor mask) {
        Tensor[] unpacked = new Tensor[saved.length];
        for (int i = 0; i < saved.length; i++) {
            unpacked[i] = saved[i].unpack(this);
        }
        Tensor[] grads = masked.apply(gradOutput, unpacked, mask);
        if (grads != null && grads.length != next.length) {
            throw new IllegalStateException("function " + name + " returned an incorrect number of gradients (expected "
                    + next.length + ", got " + grads.length + ")");
        }
        return grads;
    }

    /** Frees the saved tensors (after a backward pass without retainGraph). */
    void release() {
        for (SavedTensor s : saved) {
            s.free();
        }
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
