package dev.jgrad.hand;

import java.util.ArrayList;
import java.util.List;

/**
 * How the gradient of one input of an op is obtained by hand: the chain-rule expression (upstream
 * gradient G times the local derivative), the values it uses, the local derivative element by
 * element when the op is element-wise, a constant factor (1/m of a mean), per-sample terms when
 * the result is a sum over samples, and the result. Text and LaTeX forms of each formula.
 * <pre>{@code
 * HandStep s = HandStep.of(1, g.matmul(b.transpose())).expression("G · Bᵀ", "G\\,B^\\top")
 *         .operand("B", "B", b).build();
 * }</pre>
 */
public final class HandStep {
    /** A named value the expression uses. */
    public record Operand(String text, String latex, NdArray value) {
    }

    private final int input;
    private final String text;
    private final String latex;
    private final List<Operand> operands;
    private final NdArray local;
    private final String localText;
    private final String localLatex;
    private final String elementText;
    private final String elementLatex;
    private final List<NdArray> elementArgs;
    private final double scale;
    private final String scaleText;
    private final String scaleLatex;
    private final List<NdArray> terms;
    private final String termsText;
    private final String termsLatex;
    private final NdArray result;

    private HandStep(Builder b) {
        this.input = b.input;
        this.text = b.text;
        this.latex = b.latex;
        this.operands = List.copyOf(b.operands);
        this.local = b.local;
        this.localText = b.localText;
        this.localLatex = b.localLatex;
        this.elementText = b.elementText;
        this.elementLatex = b.elementLatex;
        this.elementArgs = List.copyOf(b.elementArgs);
        this.scale = b.scale;
        this.scaleText = b.scaleText;
        this.scaleLatex = b.scaleLatex;
        this.terms = List.copyOf(b.terms);
        this.termsText = b.termsText;
        this.termsLatex = b.termsLatex;
        this.result = b.result;
    }

    /** A step for input {@code input} whose gradient is {@code result}. */
    public static Builder of(int input, NdArray result) {
        return new Builder(input, result);
    }

    /** Which input of the op (its position in the op's inputs). */
    public int input() {
        return input;
    }

    /** The chain-rule expression in plain text, e.g. {@code G ⊙ σ(z)(1 − σ(z))}. */
    public String text() {
        return text;
    }

    /** The chain-rule expression in LaTeX. */
    public String latex() {
        return latex;
    }

    /** The values the expression uses besides G. */
    public List<Operand> operands() {
        return operands;
    }

    /** The element-wise local derivative, or null when the op is not element-wise. */
    public NdArray local() {
        return local;
    }

    /** The local derivative's name and formula, e.g. {@code σ'(z) = σ(z)(1 − σ(z))}; null without {@link #local}. */
    public String localText() {
        return localText;
    }

    public String localLatex() {
        return localLatex;
    }

    /**
     * The local derivative of one element with placeholders {@code {0}}, {@code {1}}... for the
     * elements of {@link #elementArgs}, e.g. {@code {0} × (1 − {0})}; null when not given.
     */
    public String elementText() {
        return elementText;
    }

    public String elementLatex() {
        return elementLatex;
    }

    /** The arrays whose elements fill the placeholders of the element formula. */
    public List<NdArray> elementArgs() {
        return elementArgs;
    }

    /** A constant factor of the result (1/m of a mean reduction), 1 when there is none. */
    public double scale() {
        return scale;
    }

    /** Where the factor comes from, e.g. {@code 1/m, mean over m = 2 elements}; null without one. */
    public String scaleText() {
        return scaleText;
    }

    public String scaleLatex() {
        return scaleLatex;
    }

    /** Terms whose sum is the result, one per sample (row) of a batch; empty when not a sum. */
    public List<NdArray> terms() {
        return terms;
    }

    /** The general term, e.g. {@code a⁽ⁱ⁾ᵀ · g⁽ⁱ⁾}; null without terms. */
    public String termsText() {
        return termsText;
    }

    public String termsLatex() {
        return termsLatex;
    }

    /** The gradient of the input (possibly in the broadcast shape of the output). */
    public NdArray result() {
        return result;
    }

    /** Builds a {@link HandStep}. */
    public static final class Builder {
        private final int input;
        private final NdArray result;
        private String text = "";
        private String latex = "";
        private final List<Operand> operands = new ArrayList<>();
        private NdArray local;
        private String localText;
        private String localLatex;
        private String elementText;
        private String elementLatex;
        private final List<NdArray> elementArgs = new ArrayList<>();
        private double scale = 1;
        private String scaleText;
        private String scaleLatex;
        private final List<NdArray> terms = new ArrayList<>();
        private String termsText;
        private String termsLatex;

        private Builder(int input, NdArray result) {
            this.input = input;
            this.result = result;
        }

        public Builder expression(String text, String latex) {
            this.text = text;
            this.latex = latex;
            return this;
        }

        public Builder operand(String text, String latex, NdArray value) {
            operands.add(new Operand(text, latex, value));
            return this;
        }

        /** The element-wise local derivative and its formula. */
        public Builder local(NdArray values, String text, String latex) {
            this.local = values;
            this.localText = text;
            this.localLatex = latex;
            return this;
        }

        /** One element of the local derivative with placeholders for the elements of {@code args}. */
        public Builder element(String text, String latex, NdArray... args) {
            this.elementText = text;
            this.elementLatex = latex;
            this.elementArgs.addAll(List.of(args));
            return this;
        }

        public Builder scale(double factor, String text, String latex) {
            this.scale = factor;
            this.scaleText = text;
            this.scaleLatex = latex;
            return this;
        }

        /** Per-sample terms that sum to the result. */
        public Builder terms(List<NdArray> values, String text, String latex) {
            this.terms.addAll(values);
            this.termsText = text;
            this.termsLatex = latex;
            return this;
        }

        public HandStep build() {
            return new HandStep(this);
        }
    }
}
