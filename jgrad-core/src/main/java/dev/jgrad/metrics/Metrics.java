package dev.jgrad.metrics;

import dev.jgrad.DType;
import dev.jgrad.Tensor;

/**
 * Classification and regression metrics on tensors: turning model outputs into class predictions
 * ({@link #argmax}, {@link #threshold}), {@link #accuracy}, and {@link #mse}/{@link #mae}; see
 * {@link ConfusionMatrix} for precision, recall and F1.
 * <pre>{@code
 * Tensor predicted = Metrics.argmax(model.forward(x));   // [N, C] logits -> [N] classes
 * double acc = Metrics.accuracy(predicted, y);
 * }</pre>
 */
public final class Metrics {
    private Metrics() {
    }

    /** The class of each row of [N, C] scores (the first largest), int64 [N]. */
    public static Tensor argmax(Tensor scores) {
        if (scores.dim() != 2) {
            throw new IllegalArgumentException("argmax expects [N, C] scores, got " + scores.shapeString());
        }
        return scores.argmax(1, false);
    }

    /** 1 where a score of [N] or [N, 1] exceeds {@code t}, else 0 (int64 [N]): 0.5 for probabilities, 0 for logits. */
    public static Tensor threshold(Tensor scores, double t) {
        if (!(scores.dim() == 1 || scores.dim() == 2 && scores.shape()[1] == 1)) {
            throw new IllegalArgumentException("threshold expects [N] or [N, 1] scores, got " + scores.shapeString());
        }
        return scores.reshape(-1).gt(t).to(DType.INT64);
    }

    /** The fraction of equal elements of two int64 tensors with the same number of elements (0 for none). */
    public static double accuracy(Tensor predicted, Tensor target) {
        long[] p = predicted.toLongArray();
        long[] t = target.toLongArray();
        if (p.length != t.length) {
            throw new IllegalArgumentException("predictions and targets differ in number: " + p.length + " and " + t.length);
        }
        long right = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == t[i]) {
                right++;
            }
        }
        return p.length == 0 ? 0 : (double) right / p.length;
    }

    /** Mean squared error over all elements, in double precision. */
    public static double mse(Tensor output, Tensor target) {
        double[] a = output.toDoubleArray();
        double[] b = same(a, target);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return s / a.length;
    }

    /** Mean absolute error over all elements, in double precision. */
    public static double mae(Tensor output, Tensor target) {
        double[] a = output.toDoubleArray();
        double[] b = same(a, target);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    private static double[] same(double[] a, Tensor target) {
        double[] b = target.toDoubleArray();
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("outputs and targets must have the same, non-zero number of elements: " + a.length
                    + " and " + b.length);
        }
        return b;
    }
}
