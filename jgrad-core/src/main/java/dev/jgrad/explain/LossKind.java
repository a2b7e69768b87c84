package dev.jgrad.explain;

import dev.jgrad.Tensor;
import dev.jgrad.explain.ExplainTrace.Symbol;
import dev.jgrad.hand.NdArray;
import dev.jgrad.nn.F;
import java.util.ArrayList;
import java.util.List;

/**
 * The losses the explainer works out by hand, each with its mean reduction as PyTorch's default:
 * the per-sample formula, the numbers filled in, and the tensor op that autograd differentiates.
 * <pre>{@code
 * LossKind k = LossKind.fromName("bce");
 * Tensor cost = k.apply(output, target); // F.binaryCrossEntropy(output, target)
 * }</pre>
 */
public enum LossKind {
    /** Binary cross-entropy on probabilities (the seed notebook's). */
    BCE("bce", "binary cross-entropy",
            Symbol.of("L⁽ⁱ⁾ = −y⁽ⁱ⁾·log(a⁽ⁱ⁾) − (1 − y⁽ⁱ⁾)·log(1 − a⁽ⁱ⁾)",
                    "L^{(i)} = -y^{(i)} \\log(a^{(i)}) - (1 - y^{(i)}) \\log(1 - a^{(i)})")),
    /** Binary cross-entropy on logits (sigmoid inside the loss). */
    BCE_LOGITS("bce-logits", "binary cross-entropy on logits",
            Symbol.of("L⁽ⁱ⁾ = −y⁽ⁱ⁾·log σ(z⁽ⁱ⁾) − (1 − y⁽ⁱ⁾)·log(1 − σ(z⁽ⁱ⁾))",
                    "L^{(i)} = -y^{(i)} \\log \\sigma(z^{(i)}) - (1 - y^{(i)}) \\log(1 - \\sigma(z^{(i)}))")),
    /** Mean squared error. */
    MSE("mse", "mean squared error",
            Symbol.of("L⁽ⁱ⁾ = (a⁽ⁱ⁾ − y⁽ⁱ⁾)²", "L^{(i)} = (a^{(i)} - y^{(i)})^2")),
    /** Cross-entropy of logits against class indices (log-softmax, then negative log-likelihood). */
    CROSS_ENTROPY("cross-entropy", "cross-entropy",
            Symbol.of("L⁽ⁱ⁾ = −log softmax(z⁽ⁱ⁾)[y⁽ⁱ⁾] = −z⁽ⁱ⁾[y⁽ⁱ⁾] + log Σⱼ exp(z⁽ⁱ⁾[j])",
                    "L^{(i)} = -\\log \\mathrm{softmax}(z^{(i)})_{y^{(i)}} = -z^{(i)}_{y^{(i)}} + \\log \\textstyle\\sum_j e^{z^{(i)}_j}"));

    private static final int MAX_TERMS = 4;

    private final String cliName;
    private final String description;
    private final Symbol formula;

    LossKind(String cliName, String description, Symbol formula) {
        this.cliName = cliName;
        this.description = description;
        this.formula = formula;
    }

    /** The kind named as on the command line: bce, bce-logits, mse, cross-entropy. */
    public static LossKind fromName(String name) {
        for (LossKind k : values()) {
            if (k.cliName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "' (expected bce, bce-logits, mse or cross-entropy)");
    }

    /** The command-line name. */
    public String cliName() {
        return cliName;
    }

    /** A few words for people, e.g. "binary cross-entropy". */
    public String description() {
        return description;
    }

    /** The symbol of the model's output in the formula: a (probabilities, values) or z (logits). */
    public String outputSymbol() {
        return this == BCE_LOGITS || this == CROSS_ENTROPY ? "z" : "a";
    }

    /** The per-sample loss formula (one output; with several, L⁽ⁱ⁾ is their mean). */
    public Symbol formula() {
        return formula;
    }

    /** The cost as autograd computes it: the loss op with reduction mean. */
    public Tensor apply(Tensor output, Tensor target) {
        switch (this) {
            case BCE: return F.binaryCrossEntropy(output, target);
            case BCE_LOGITS: return F.binaryCrossEntropyWithLogits(output, target);
            case MSE: return F.mseLoss(output, target);
            default: return F.crossEntropy(output, target);
        }
    }

    /** Sample i's loss by hand from the output row and the target row (one class index for cross-entropy). */
    double sampleLoss(double[] out, double[] target) {
        if (this == CROSS_ENTROPY) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : out) {
                max = Math.max(max, v);
            }
            double s = 0;
            for (double v : out) {
                s += Math.exp(v - max);
            }
            return -out[(int) target[0]] + max + Math.log(s);
        }
        double total = 0;
        for (int j = 0; j < out.length; j++) {
            total += element(out[j], target[j]);
        }
        return total / out.length;
    }

    private double element(double a, double y) {
        switch (this) {
            case BCE:
                return -y * Math.max(Math.log(a), -100) - (1 - y) * Math.max(Math.log(1 - a), -100);
            case BCE_LOGITS: {
                double logSig = -(Math.max(-a, 0) + Math.log1p(Math.exp(-Math.abs(a))));
                double logOneMinus = -(Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))));
                return -y * logSig - (1 - y) * logOneMinus;
            }
            default:
                return (a - y) * (a - y);
        }
    }

    /** The formula of sample i's loss with its numbers filled in, ending in {@code = value}. */
    Symbol substituted(double[] out, double[] target, double value) {
        String v = Fmt.num(value);
        if (this == CROSS_ENTROPY) {
            int c = (int) target[0];
            List<String> t = new ArrayList<>();
            List<String> l = new ArrayList<>();
            for (int j = 0; j < out.length; j++) {
                if (out.length > MAX_TERMS + 1 && j == MAX_TERMS - 1) {
                    t.add("…");
                    l.add("\\dots");
                    j = out.length - 2;
                    continue;
                }
                t.add("exp(" + Fmt.num(out[j]) + ")");
                l.add("e^{" + Fmt.num(out[j]) + "}");
            }
            return Symbol.of("−(" + Fmt.num(out[c]) + ") + log(" + String.join(" + ", t) + ") = " + v,
                    "-(" + Fmt.num(out[c]) + ") + \\log(" + String.join(" + ", l) + ") = " + v);
        }
        List<String> t = new ArrayList<>();
        List<String> l = new ArrayList<>();
        for (int j = 0; j < out.length; j++) {
            if (out.length > MAX_TERMS && j == MAX_TERMS - 1) {
                t.add("…");
                l.add("\\dots");
                j = out.length - 2;
                continue;
            }
            String a = Fmt.num(out[j]);
            String y = Fmt.num(target[j]);
            String ap = Fmt.arg(out[j]);
            String yp = Fmt.arg(target[j]);
            switch (this) {
                case BCE:
                    t.add("−" + yp + " × log(" + a + ") − (1 − " + yp + ") × log(1 − " + a + ")");
                    l.add("-" + yp + " \\times \\log(" + a + ") - (1 - " + yp + ") \\times \\log(1 - " + a + ")");
                    break;
                case BCE_LOGITS:
                    t.add("−" + yp + " × log σ(" + a + ") − (1 − " + yp + ") × log(1 − σ(" + a + "))");
                    l.add("-" + yp + " \\times \\log \\sigma(" + a + ") - (1 - " + yp + ") \\times \\log(1 - \\sigma(" + a + "))");
                    break;
                default:
                    t.add("(" + a + " − " + yp + ")²");
                    l.add("(" + a + " - " + yp + ")^2");
            }
        }
        if (t.size() == 1) {
            return Symbol.of(t.get(0) + " = " + v, l.get(0) + " = " + v);
        }
        String n = Integer.toString(out.length);
        boolean bare = this == MSE;
        return Symbol.of("(1/" + n + ") × [" + String.join(" + ", bare ? t : wrap(t)) + "] = " + v,
                "\\frac{1}{" + n + "} \\left[" + String.join(" + ", bare ? l : wrapLatex(l)) + "\\right] = " + v);
    }

    private static List<String> wrap(List<String> terms) {
        List<String> out = new ArrayList<>();
        for (String s : terms) {
            out.add(s.equals("…") ? s : "(" + s + ")");
        }
        return out;
    }

    private static List<String> wrapLatex(List<String> terms) {
        List<String> out = new ArrayList<>();
        for (String s : terms) {
            out.add(s.equals("\\dots") ? s : "\\left(" + s + "\\right)");
        }
        return out;
    }

    /** Row i of a [N, T] array, or the class index of a [N] array. */
    static double[] row(NdArray a, int i) {
        if (a.dim() == 1) {
            return new double[] {a.at(i)};
        }
        int t = a.size(1);
        double[] r = new double[t];
        for (int j = 0; j < t; j++) {
            r[j] = a.at(i * t + j);
        }
        return r;
    }
}
