package dev.jgrad.autograd;

import dev.jgrad.hand.HandRule;
import dev.jgrad.hand.HandRules;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * An op's local derivative as people read it, declared by the op beside its backward function in
 * {@link Graph#record}: a formula in plain text ({@link Node#formula()}) and in LaTeX, the symbol
 * the formula uses for each input, and optionally a {@link HandRule} that works the derivative
 * out with plain arrays. The explainer shows these and runs the hand rule, so what it explains is
 * what the op declares and a backward function that disagrees with its declaration is caught.
 * <pre>{@code
 * Derivative d = Derivative.elementwise("σ'(z)", "\\sigma'(z)", "σ(z)(1 − σ(z))", "\\sigma(z)\\,(1-\\sigma(z))",
 *         0, y -> y * (1 - y), "{0} × (1 − {0})", "{0} \\times (1 - {0})");
 * }</pre>
 */
public final class Derivative {
    private static final String[] NO_SYMBOLS = new String[0];

    // Built per recorded op, read only when a graph is explained: the strings are joined lazily.
    private final String textHead;
    private final String textTail;
    private final String latexHead;
    private final String latexTail;
    private final String[] symbols;
    private final HandRule hand;
    private String text;
    private String latex;

    private Derivative(String textHead, String textTail, String latexHead, String latexTail, String[] symbols,
                       HandRule hand) {
        this.textHead = textHead;
        this.textTail = textTail;
        this.latexHead = latexHead;
        this.latexTail = latexTail;
        this.symbols = symbols;
        this.hand = hand;
    }

    /** A formula in plain text only; its LaTeX form is the text itself. */
    public static Derivative of(String text) {
        return new Derivative(text, null, null, null, NO_SYMBOLS, null);
    }

    /** A formula in plain text and LaTeX. */
    public static Derivative of(String text, String latex) {
        return new Derivative(text, null, latex, null, NO_SYMBOLS, null);
    }

    /**
     * The derivative of an element-wise op y = f(x) of one input: {@code symbol = definition}
     * (e.g. {@code σ'(z) = σ(z)(1 − σ(z))}), computed by hand from saved value
     * {@code savedIndex} (−1: from nothing) by {@code f}; {@code element} shows one element with
     * {@code {0}} standing for the saved value.
     */
    public static Derivative elementwise(String symbol, String symbolLatex, String definition, String definitionLatex,
                                         int savedIndex, DoubleUnaryOperator f, String element, String elementLatex) {
        return new Derivative(symbol, definition, symbolLatex, definitionLatex, new String[] {"z"},
                HandRules.elementwise(savedIndex, f, symbol, symbolLatex, definition, definitionLatex, element, elementLatex));
    }

    /** The same derivative with the symbols its formula uses for the op's inputs, in input order. */
    public Derivative inputs(String... inputSymbols) {
        return new Derivative(textHead, textTail, latexHead, latexTail, inputSymbols.clone(), hand);
    }

    /** The same derivative with a rule that works it out by hand. */
    public Derivative hand(HandRule rule) {
        return new Derivative(textHead, textTail, latexHead, latexTail, symbols, rule);
    }

    /** The formula in plain text (Unicode), e.g. {@code relu'(z) = [z > 0]}. */
    public String text() {
        String t = text;
        if (t == null) {
            t = textTail == null ? textHead : textHead + " = " + textTail;
            text = t;
        }
        return t;
    }

    /** The formula in LaTeX. */
    public String latex() {
        String l = latex;
        if (l == null) {
            if (latexHead == null) {
                l = "\\text{" + escapeText(text()) + "}";
            } else {
                l = latexTail == null ? latexHead : latexHead + " = " + latexTail;
            }
            latex = l;
        }
        return l;
    }

    /** The formula's symbols for the op's inputs (empty when not declared). */
    public List<String> inputSymbols() {
        return List.of(symbols);
    }

    /** The rule working the derivative out by hand, or null when the op declares none. */
    public HandRule handRule() {
        return hand;
    }

    @Override
    public String toString() {
        return text();
    }

    /** Escapes LaTeX's special characters for use inside {@code \text{...}}. */
    public static String escapeText(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\': b.append("\\backslash "); break;
                case '{': case '}': case '_': case '#': case '%': case '&': case '$': b.append('\\').append(c); break;
                case '^': b.append("\\hat{}"); break;
                case '~': b.append("\\sim "); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
