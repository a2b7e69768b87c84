package dev.jgrad.autograd;

import dev.jgrad.DType;
import dev.jgrad.Tensor;

/**
 * Records ops into the autograd graph. Every differentiable op calls {@link #record} once, right
 * after its forward kernel, giving its backward function beside it.
 * <pre>{@code
 * Tensor y = kernelResult;
 * return Graph.record(y, "ExpBackward0", "∂y/∂x = exp(x)", inputs(x), saved(y), (g, s) -> grads(g.mul(s[0])));
 * }</pre>
 */
public final class Graph {
    private static final Tensor[] NONE = new Tensor[0];

    private Graph() {
    }

    /** True when grad mode is on and some input requires grad: the op must be recorded. */
    public static boolean needsGrad(Tensor... inputs) {
        return GradMode.isEnabled() && anyRequiresGrad(inputs);
    }

    private static boolean anyRequiresGrad(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Attaches a backward node to {@code output} when {@link #needsGrad} holds for {@code inputs};
     * returns {@code output}. The backward function must return one gradient per input, in the
     * broadcast shape of the output or the input's own shape: gradients of broadcast inputs are
     * summed back to the input's shape by the engine, in one place.
     */
    public static Tensor record(Tensor output, String name, String formula, Tensor[] inputs, Tensor[] saved,
                                BackwardFn fn) {
        return record(output, name, Derivative.of(formula), inputs, saved, fn);
    }

    /**
     * {@link #record(Tensor, String, String, Tensor[], Tensor[], BackwardFn)} with the local
     * derivative described in full: formulas in text and LaTeX and a hand rule for the explainer.
     */
    public static Tensor record(Tensor output, String name, Derivative derivative, Tensor[] inputs, Tensor[] saved,
                                BackwardFn fn) {
        ThreadState state = ThreadState.get();
        if (!state.gradEnabled || !anyRequiresGrad(inputs)) {
            return output;
        }
        Node[] next = new Node[inputs.length];
        int[][] shapes = new int[inputs.length][];
        DType common = null;
        boolean uniform = true;
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (in == null) {
                continue;
            }
            shapes[i] = in.shapeRef(); // shape arrays are never modified
            DType t = in.dtype();
            uniform &= common == null || common == t;
            common = t;
            next[i] = in.requiresGrad() ? in.gradEdge() : null;
        }
        DType[] dtypes = uniform ? uniformDTypes(common, inputs.length) : new DType[inputs.length];
        if (!uniform) {
            for (int i = 0; i < inputs.length; i++) {
                dtypes[i] = inputs[i] == null ? null : inputs[i].dtype();
            }
        }
        Node node = new Node(name, derivative, next, shapes, dtypes, fn, saved, output, state.nextSequenceNr());
        output.attachGradFn(node);
        return output;
    }

    // the inputs' dtypes of a node whose inputs share one (most ops), shared between nodes: [dtype][count]
    private static final DType[][][] UNIFORM = new DType[DType.values().length][5][];

    static {
        for (DType t : DType.values()) {
            for (int n = 0; n < 5; n++) {
                DType[] a = new DType[n];
                java.util.Arrays.fill(a, t);
                UNIFORM[t.ordinal()][n] = a;
            }
        }
    }

    /** The dtypes of {@code n} inputs that are all {@code t} (null inputs included: their entry is never read). */
    private static DType[] uniformDTypes(DType t, int n) {
        if (t == null || n >= 5) {
            DType[] a = new DType[n];
            java.util.Arrays.fill(a, t);
            return a;
        }
        return UNIFORM[t.ordinal()][n];
    }

    /** Varargs helper for the inputs of {@link #record}. */
    public static Tensor[] inputs(Tensor... t) {
        return t;
    }

    /** Varargs helper for the saved tensors of {@link #record}. */
    public static Tensor[] saved(Tensor... t) {
        return t.length == 0 ? NONE : t;
    }

    /** Varargs helper for the result of a {@link BackwardFn}. */
    public static Tensor[] grads(Tensor... g) {
        return g;
    }
}
