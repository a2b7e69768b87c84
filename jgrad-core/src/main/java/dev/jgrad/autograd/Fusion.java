package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import dev.jgrad.kernel.Kernels;
import java.util.Map;

/**
 * Internal, not API: the kernels that fuse two ops, their switch and their counters. Each gives
 * the bits of the composition it replaces and leaves the graph exactly PyTorch's (the same nodes,
 * names, order, saved tensors and {@code .grad}s); only passes over memory and buffers go.
 * <ul>
 *   <li><b>Forward</b>: {@code nn.Sequential} runs a {@code Linear} with bias directly followed by
 *       {@code ReLU} or {@code Sigmoid} (those exact classes, 2-D input) as one product whose
 *       epilogue adds the bias and applies the activation
 *       ({@code LinearAlgebra.linearActivation}), recording AddmmBackward0 and the activation's
 *       node as the two ops would. Each run is reported to {@link #countForward()}.</li>
 *   <li><b>Backward</b>: a product whose backward is declared {@link #maskable} computes the
 *       gradient of an input that a {@link #reluMask} node produced (ReLU's backward: g where
 *       y > 0) with that mask in its epilogue, and the mask node then passes the gradient on
 *       without a second pass. Only when that product is all the mask node will receive in the
 *       pass (its output feeds nothing else that sends a gradient, it is not an output of the
 *       pass, an {@code Autograd.grad} input or retaining its gradient) and not in create-graph
 *       mode; its saved output must still be valid (else it raises its usual error). The engine
 *       calls {@link #apply} for every node.</li>
 * </ul>
 * The system property {@code jgrad.fusion=false} (read at start-up) or {@link #setEnabled} turns
 * both off: the tests compare every result with fusion on and off. jgrad has no tensor or module
 * hooks; if it gets them, a hook on the ReLU's output (or on either module) must disable these.
 */
public final class Fusion {
    private static volatile boolean enabled = !"false".equals(System.getProperty("jgrad.fusion"));

    private Fusion() {
    }

    /** Whether fused kernels may be used (default true; system property {@code jgrad.fusion=false}: no). */
    public static boolean enabled() {
        return enabled;
    }

    /** For tests: turns fusion on or off. */
    static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Products of at most this many multiply-adds are not fused. */
    private static volatile long minWork = Kernels.SMALL_PRODUCT_WORK;

    /**
     * Whether fusion is on and an m × k by k × n product is large enough for its fused epilogue
     * (bias + activation, or ReLU's mask) to pay. Products on GEMM's small path are cheaper as the
     * plain product and the separate element-wise kernel (the same bits either way).
     */
    public static boolean pays(int m, int n, int k) {
        return enabled && (long) m * n * k > minWork;
    }

    /** For tests: fuse products above {@code work} multiply-adds (0: all); returns the previous bound. */
    static long setMinWork(long work) {
        long previous = minWork;
        minWork = work;
        return previous;
    }

    /** Called by the fused forward each time it runs (the tests check that it does). */
    public static void countForward() {
        ThreadState.get().fusedForwards++;
    }

    /** How many fused forwards ran on this thread (plain per-thread counts: no fence per op). */
    static long forwardCount() {
        return ThreadState.get().fusedForwards;
    }

    /** How many fused backward products ran on this thread. */
    static long backwardCount() {
        return ThreadState.get().fusedBackwards;
    }

    /**
     * The gradient of input {@code input} computed with a ReLU's mask applied: {@code mask} is
     * the ReLU's saved output y, the result must have the bits of {@code reluBackward(plain, y)}
     * in that position and the plain gradients elsewhere; null when the operands do not fit
     * (the plain backward then runs).
     */
    @FunctionalInterface
    public interface MaskedBackwardFn {
        Tensor[] apply(Tensor gradOutput, Tensor[] saved, Tensor mask);
    }

    /** Declares {@code fn} (a product's backward) able to mask the gradient of {@code input} with {@code masked}. */
    public static BackwardFn maskable(BackwardFn fn, int input, MaskedBackwardFn masked) {
        return new Maskable(fn, input, masked);
    }

    /**
     * Declares {@code fn} a ReLU mask: outside create-graph mode it returns its gradient set to +0
     * where its one saved tensor is {@code <= 0} (threshold_backward), so it may be skipped when
     * its gradient arrives masked already.
     */
    public static BackwardFn reluMask(BackwardFn fn) {
        return new ReluMask(fn);
    }

    private static final class Maskable implements BackwardFn {
        final BackwardFn plain;
        final int input;
        final MaskedBackwardFn masked;

        Maskable(BackwardFn plain, int input, MaskedBackwardFn masked) {
            this.plain = plain;
            this.input = input;
            this.masked = masked;
        }

        @Override
        public Tensor[] apply(Tensor gradOutput, Tensor[] saved) {
            return plain.apply(gradOutput, saved);
        }
    }

    private static final class ReluMask implements BackwardFn {
        final BackwardFn plain;

        ReluMask(BackwardFn plain) {
            this.plain = plain;
        }

        @Override
        public Tensor[] apply(Tensor gradOutput, Tensor[] saved) {
            return plain.apply(gradOutput, saved);
        }
    }

    /**
     * The engine's call for a node with gradient {@code grad} (not null): its input gradients,
     * fused with the ReLU below it when the conditions in the class comment hold, passed through
     * when it is that ReLU and its gradient came masked.
     */
    static Tensor[] apply(Node node, Tensor grad, boolean createGraph, Map<Node, Integer> inputIndex,
                          Map<Node, Boolean> needed, Tensor[] buffers) {
        if (node.gradMasked) {
            node.gradMasked = false;
            return new Tensor[] {grad};
        }
        if (enabled && !createGraph && node.fn() instanceof Maskable) {
            Maskable fn = (Maskable) node.fn();
            Node relu = node.next(fn.input);
            if (relu != null && relu.fn() instanceof ReluMask && relu.pending == 1 && buffers[relu.slot] == null
                    && relu.retained() == null && (inputIndex == null || !inputIndex.containsKey(relu))
                    && (needed == null || needed.get(relu))) {
                Tensor y = relu.savedIfValid(0);
                Tensor[] grads = y == null ? null : node.applyMasked(grad, fn.masked, y);
                if (grads != null) {
                    relu.gradMasked = true;
                    ThreadState.get().fusedBackwards++;
                    return grads;
                }
            }
        }
        return node.apply(grad);
    }
}
