package dev.jgrad.explain;

import dev.jgrad.PrintOptions;
import dev.jgrad.PyFormat;
import dev.jgrad.TensorText;
import dev.jgrad.hand.NdArray;
import java.util.List;

/** Numbers and matrices for the renderers, printed as PyTorch prints them (4 decimals, summarised when large). */
final class Fmt {
    final PrintOptions options;
    final int maxElements;

    Fmt(int maxElements) {
        this.maxElements = maxElements;
        this.options = PrintOptions.defaults().withThreshold(maxElements);
    }

    /** A scalar as the notebook writes it: integers bare ({@code 0}, {@code 1}), else PyTorch's 4 decimals. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return PyFormat.fixed(v, 4);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e8) {
            return PyFormat.fixed(v, 4);
        }
        return PyFormat.scientific(v, 4);
    }

    /** A scalar as an argument: negative numbers in parentheses. */
    static String arg(double v) {
        String s = num(v);
        return v < 0 || s.startsWith("-") ? "(" + s + ")" : s;
    }

    /** A difference such as {@code 2.4e-08}. */
    static String diff(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        return d == 0 ? "0" : PyFormat.scientific(d, 1);
    }

    /** True when the array is printed in full. */
    boolean small(NdArray a) {
        return a.numel() <= maxElements;
    }

    /** The array's body as PyTorch prints it, continuation lines indented by {@code indent}. */
    String body(NdArray a, int indent) {
        if (a.dim() == 0) {
            return num(a.at(0));
        }
        return TensorText.body(a.toTensor(), options, indent);
    }

    /** What a summarised array leaves out: its shape and norm. */
    static String summary(NdArray a) {
        return "shape " + shape(a.shape()) + ", norm " + PyFormat.fixed(a.norm(), 4) + ", max |x| " + PyFormat.fixed(a.maxAbs(), 4);
    }

    static String shape(int[] s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            b.append(i > 0 ? ", " : "").append(s[i]);
        }
        return b.append(']').toString();
    }

    /** Each element formatted in the array's shared mode (integer, fixed or scientific). */
    List<String> elements(NdArray a) {
        return TensorText.elements(a.toTensor(), options);
    }

    /** A number in LaTeX: {@code 1.2e-05} becomes {@code 1.2 \cdot 10^{-5}}. */
    static String latexNum(String s) {
        if (s.startsWith("(") && s.endsWith(")")) {
            return "(" + latexNum(s.substring(1, s.length() - 1)) + ")";
        }
        int e = s.indexOf('e');
        if (e < 0) {
            return s;
        }
        String mant = s.substring(0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        return exp == 0 ? mant : mant + " \\cdot 10^{" + exp + "}";
    }

    /** The array as a LaTeX matrix (a vector as one row, a scalar bare), summarised with dots when large. */
    String latex(NdArray a) {
        if (a.dim() == 0) {
            return latexNum(num(a.at(0)));
        }
        List<String> el = elements(a);
        int rows = a.dim() == 1 ? 1 : a.size(0);
        int cols = a.numel() / Math.max(1, rows);
        if (a.dim() > 2) {
            cols = a.numel() / rows;
        }
        boolean sum = !small(a);
        int edge = options.edgeItems();
        StringBuilder b = new StringBuilder("\\begin{bmatrix} ");
        for (int i = 0; i < rows; i++) {
            if (sum && rows > 2 * edge && i == edge) {
                int shown = cols > 2 * edge ? 2 * edge + 1 : cols;
                for (int j = 0; j < shown; j++) {
                    b.append(j > 0 ? " & " : "").append(j == edge && cols > 2 * edge ? "\\ddots" : "\\vdots");
                }
                b.append(" \\\\ ");
                i = rows - edge - 1;
                continue;
            }
            for (int j = 0; j < cols; j++) {
                if (sum && cols > 2 * edge && j == edge) {
                    b.append(" & \\cdots");
                    j = cols - edge - 1;
                    continue;
                }
                b.append(j > 0 ? " & " : "").append(latexNum(el.get(i * cols + j)));
            }
            b.append(i < rows - 1 ? " \\\\ " : " ");
        }
        return b.append("\\end{bmatrix}").toString();
    }
}
