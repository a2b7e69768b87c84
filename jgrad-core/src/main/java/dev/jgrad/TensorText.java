package dev.jgrad;

import java.util.List;

/**
 * Tensor values formatted as PyTorch's {@code repr} formats them, for programs that lay out
 * tensors themselves (the explainer's text, Markdown and graph labels): the bracketed body
 * without {@code tensor(...)} and suffixes, or each element as a string in the tensor's shared
 * mode (integer {@code 4.}, fixed {@code 0.0911} or scientific {@code 1.2000e-05}).
 * <pre>{@code
 * TensorText.body(Jgrad.tensor(new double[][] {{1, 2}, {3, 4}}), PrintOptions.get(), 0); // "[[1., 2.],\n [3., 4.]]"
 * TensorText.elements(Jgrad.tensor(new double[] {0.5, 2}), PrintOptions.get());           // ["0.5000", "2.0000"]
 * }</pre>
 */
public final class TensorText {
    private TensorText() {
    }

    /** The body of {@code t}'s repr, continuation lines indented by {@code indent} spaces; summarised past the threshold. */
    public static String body(Tensor t, PrintOptions options, int indent) {
        return TensorFormatter.body(t, options, indent);
    }

    /** Every element of {@code t} (row-major) formatted in the mode the repr would choose for the whole tensor. */
    public static List<String> elements(Tensor t, PrintOptions options) {
        return TensorFormatter.elements(t, options);
    }
}
