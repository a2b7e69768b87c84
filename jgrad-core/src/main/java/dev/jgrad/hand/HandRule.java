package dev.jgrad.hand;

/**
 * An op's local derivative worked out by hand, with plain arrays: given the upstream gradient G
 * (the gradient of the op's output) and the values the op saved for its backward, the gradient
 * of each input with the steps that lead to it. Declared by each op right beside its backward
 * function (see {@code dev.jgrad.autograd.Derivative}); the explainer runs it instead of the
 * engine's backward, so a wrong backward function shows up as a disagreement.
 * <pre>{@code
 * HandRule sigmoid = (g, saved) -> new HandStep[] {
 *     HandStep.of(0, g.mul(saved[0].map(y -> y * (1 - y)))).expression("G ⊙ σ(z)(1 − σ(z))", "...").build()};
 * }</pre>
 */
@FunctionalInterface
public interface HandRule {
    /**
     * One step per input of the op, in input order; null where this rule gives no gradient. A
     * step's result may have the broadcast shape of the output: the caller sums it back to the
     * input's shape.
     */
    HandStep[] apply(NdArray upstream, NdArray[] saved);
}
