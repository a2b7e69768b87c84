package dev.jgrad.autograd;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
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
    private static final int[] NO_VERSIONS = new int[0];
    private static final String[] NO_PRODUCERS = new String[0];
    private static final Derivative ACCUMULATE = Derivative.of("grad += G", "\\mathrm{grad} \\mathrel{+}= G");

    private final String name;
    private final Derivative derivative;
    private final Node[] next;
    private final int[][] inputShapes;
    private final DType[] inputDTypes;
    private final BackwardFn fn;
    // the tensors saved for backward (the op's array, taken, not copied), the versions they had
    // and the node that produced each (for PyTorch's error message when one was modified in place)
    private final Tensor[] saved;
    private final int[] savedVersions;
    private final String[] savedProducers;
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
        this.saved = saved;
        if (saved.length == 0) {
            this.savedVersions = NO_VERSIONS;
            this.savedProducers = NO_PRODUCERS;
        } else {
            this.savedVersions = new int[saved.length];
            this.savedProducers = new String[saved.length];
            for (int i = 0; i < saved.length; i++) {
                Tensor t = saved[i];
                savedVersions[i] = t.storageVersion();
                Node producer = t.gradFn();
                savedProducers[i] = t == output ? name : producer == null ? null : producer.name();
            }
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
        this.saved = new Tensor[0];
        this.savedVersions = NO_VERSIONS;
        this.savedProducers = NO_PRODUCERS;
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
        for (int i = 0; i < saved.length; i++) {
            out.add(unpack(i));
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
        Tensor[] grads = fn.apply(gradOutput, unpackAll());
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
        if (i >= saved.length) {
            return null;
        }
        Tensor t = saved[i];
        return t != null && t.storageVersion() == savedVersions[i] ? t : null;
    }

    /** Runs {@code masked}, this node's backward with a ReLU's mask fused in (see {@link Fusion}); null if it declined. */
    Tensor[] applyMasked(Tensor gradOutput, Fusion.MaskedBackwardFn masked, Tensor mask) {
        Tensor[] grads = masked.apply(gradOutput, unpackAll(), mask);
        if (grads != null && grads.length != next.length) {
            throw new IllegalStateException("function " + name + " returned an incorrect number of gradients (expected "
                    + next.length + ", got " + grads.length + ")");
        }
        return grads;
    }

    /** Frees the saved tensors (after a backward pass without retainGraph). */
    void release() {
        Arrays.fill(saved, null);
    }

    /** The saved tensors, checked (the node's own array: backward functions only read it). */
    private Tensor[] unpackAll() {
        for (int i = 0; i < saved.length; i++) {
            unpack(i);
        }
        return saved;
    }

    /** Saved tensor i; fails as PyTorch does if it was freed by a backward pass or modified in place since. */
    private Tensor unpack(int i) {
        Tensor t = saved[i];
        if (t == null) {
            throw new IllegalStateException(Engine.FREED_MESSAGE);
        }
        int now = t.storageVersion();
        if (now != savedVersions[i]) {
            String producer = savedProducers[i];
            String what = producer == null ? "" : ", which is output 0 of " + producer + ",";
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified by an "
                    + "inplace operation: [" + t.typeName() + " " + t.shapeString() + "]" + what
                    + " is at version " + now + "; expected version " + savedVersions[i] + " instead. Hint: the tensor was "
                    + "saved by " + name + " and modified in place before backward; clone() it before the "
                    + "in-place operation.");
        }
        return t;
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
