package dev.jgrad.hand;

import java.util.function.DoubleUnaryOperator;

/**
 * Hand rules shared by several ops: element-wise derivatives, gradients that pass through
 * unchanged, are reshaped or transposed.
 * <pre>{@code
 * HandRule r = HandRules.elementwise(0, y -> y > 0 ? 1 : 0, "relu'(z)", "\\mathrm{relu}'(z)", "[z > 0]", "[z > 0]", "[{0} > 0]", "[{0} > 0]");
 * }</pre>
 */
public final class HandRules {
    private HandRules() {
    }

    /**
     * y = f(x) element by element: the local derivative from saved value {@code savedIndex} (−1: a
     * constant, f applied to 0), then G ⊙ local.
     */
    public static HandRule elementwise(int savedIndex, DoubleUnaryOperator f, String symbol, String symbolLatex,
                                       String definition, String definitionLatex, String element, String elementLatex) {
        return (g, s) -> {
            NdArray v = savedIndex < 0 ? NdArray.zeros(g.shape()) : s[savedIndex];
            NdArray local = v.map(f);
            HandStep.Builder b = HandStep.of(0, g.mul(local))
                    .expression("G ⊙ " + symbol, "G \\odot " + symbolLatex)
                    .local(local, symbol + " = " + definition, symbolLatex + " = " + definitionLatex);
            if (element != null && savedIndex >= 0) {
                b.element(element, elementLatex, v);
            }
            return new HandStep[] {b.build()};
        };
    }

    /** The gradient passes unchanged to each of {@code inputs} inputs (a copy, a cast, an expand). */
    public static HandRule identity(int inputs) {
        return (g, s) -> {
            HandStep[] out = new HandStep[inputs];
            for (int i = 0; i < inputs; i++) {
                out[i] = HandStep.of(i, g).expression("G", "G").build();
            }
            return out;
        };
    }

    /** The gradient, the same elements in the same order, reshaped to the input's shape. */
    public static HandRule reshapeTo(int[] inputShape) {
        int[] shape = inputShape.clone();
        return (g, s) -> new HandStep[] {HandStep.of(0, g.reshape(shape)).expression("G reshaped back", "G \\text{ reshaped back}").build()};
    }

    /** The gradient with two dimensions swapped back. */
    public static HandRule transpose(int d0, int d1) {
        return (g, s) -> new HandStep[] {HandStep.of(0, g.transpose(d0, d1)).expression("Gᵀ", "G^\\top").build()};
    }
}
