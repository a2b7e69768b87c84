package dev.jgrad;

/**
 * Tensor printing options, as {@code torch.set_printoptions}: precision (4), threshold (1000
 * elements before summarising), edge items (3), line width (80) and a forced scientific mode.
 * <pre>{@code
 * PrintOptions.set(PrintOptions.defaults().withPrecision(8));
 * System.out.println(w.grad()); // 8 decimals
 * }</pre>
 */
public final class PrintOptions {
    private static volatile PrintOptions current = defaults();

    private final int precision;
    private final int threshold;
    private final int edgeItems;
    private final int lineWidth;
    private final Boolean sciMode;

    private PrintOptions(int precision, int threshold, int edgeItems, int lineWidth, Boolean sciMode) {
        this.precision = precision;
        this.threshold = threshold;
        this.edgeItems = edgeItems;
        this.lineWidth = lineWidth;
        this.sciMode = sciMode;
    }

    /** PyTorch's defaults. */
    public static PrintOptions defaults() {
        return new PrintOptions(4, 1000, 3, 80, null);
    }

    /** The options in force. */
    public static PrintOptions get() {
        return current;
    }

    /** Sets the options for all threads. */
    public static void set(PrintOptions options) {
        current = options;
    }

    public PrintOptions withPrecision(int p) {
        return new PrintOptions(p, threshold, edgeItems, lineWidth, sciMode);
    }

    public PrintOptions withThreshold(int t) {
        return new PrintOptions(precision, t, edgeItems, lineWidth, sciMode);
    }

    public PrintOptions withEdgeItems(int e) {
        return new PrintOptions(precision, threshold, e, lineWidth, sciMode);
    }

    public PrintOptions withLineWidth(int w) {
        return new PrintOptions(precision, threshold, edgeItems, w, sciMode);
    }

    /** Forces scientific notation on (true), off (false), or automatic (null). */
    public PrintOptions withSciMode(Boolean s) {
        return new PrintOptions(precision, threshold, edgeItems, lineWidth, s);
    }

    public int precision() {
        return precision;
    }

    public int threshold() {
        return threshold;
    }

    public int edgeItems() {
        return edgeItems;
    }

    public int lineWidth() {
        return lineWidth;
    }

    public Boolean sciMode() {
        return sciMode;
    }
}
