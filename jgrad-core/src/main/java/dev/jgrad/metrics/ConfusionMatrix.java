package dev.jgrad.metrics;

import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs, rows true and columns predicted as scikit-learn's
 * {@code confusion_matrix}, with per-class precision, recall and F1 and their macro averages.
 * As scikit-learn (with {@code zero_division=0}), a ratio whose denominator is zero is 0, and macro
 * averages are taken over the classes that occur among the targets or the predictions.
 * <pre>{@code
 * ConfusionMatrix cm = ConfusionMatrix.of(predictedClasses, targets, 10);
 * double f1 = cm.macroF1(), acc = cm.accuracy();
 * }</pre>
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class, got " + numClasses);
        }
        counts = new long[numClasses][numClasses];
    }

    /** The matrix of int64 class indices {@code predicted} and {@code target} (same number of elements). */
    public static ConfusionMatrix of(Tensor predicted, Tensor target, int numClasses) {
        ConfusionMatrix m = new ConfusionMatrix(numClasses);
        m.add(predicted, target);
        return m;
    }

    /** Adds the pairs of another batch. */
    public ConfusionMatrix add(Tensor predicted, Tensor target) {
        long[] p = predicted.toLongArray();
        long[] t = target.toLongArray();
        if (p.length != t.length) {
            throw new IllegalArgumentException("predictions and targets differ in number: " + p.length + " and " + t.length);
        }
        int k = counts.length;
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0 || p[i] >= k || t[i] < 0 || t[i] >= k) {
                throw new IllegalArgumentException("class index out of range [0, " + k + "): predicted " + p[i] + ", target " + t[i]
                        + " at position " + i);
            }
            counts[(int) t[i]][(int) p[i]]++;
        }
        return this;
    }

    public int numClasses() {
        return counts.length;
    }

    /** The count of examples of true class {@code actual} predicted as {@code predicted}. */
    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    /** A copy of the counts, [true][predicted]. */
    public long[][] counts() {
        long[][] c = new long[counts.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].clone();
        }
        return c;
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    /** Fraction predicted correctly (0 for no examples). */
    public double accuracy() {
        long right = 0;
        for (int i = 0; i < counts.length; i++) {
            right += counts[i][i];
        }
        long n = total();
        return n == 0 ? 0 : (double) right / n;
    }

    private long predictedAs(int c) {
        long s = 0;
        for (long[] row : counts) {
            s += row[c];
        }
        return s;
    }

    private long actually(int c) {
        long s = 0;
        for (long v : counts[c]) {
            s += v;
        }
        return s;
    }

    /** TP / (TP + FP) of class {@code c}; 0 when nothing was predicted as c. */
    public double precision(int c) {
        long d = predictedAs(c);
        return d == 0 ? 0 : (double) counts[c][c] / d;
    }

    /** TP / (TP + FN) of class {@code c}; 0 when no example is of class c. */
    public double recall(int c) {
        long d = actually(c);
        return d == 0 ? 0 : (double) counts[c][c] / d;
    }

    /** 2·TP / (2·TP + FP + FN) of class {@code c} (the harmonic mean of precision and recall); 0 when undefined. */
    public double f1(int c) {
        long d = predictedAs(c) + actually(c);
        return d == 0 ? 0 : 2.0 * counts[c][c] / d;
    }

    private boolean present(int c) {
        return predictedAs(c) > 0 || actually(c) > 0;
    }

    private double macro(java.util.function.IntToDoubleFunction f) {
        double s = 0;
        int k = 0;
        for (int c = 0; c < counts.length; c++) {
            if (present(c)) {
                s += f.applyAsDouble(c);
                k++;
            }
        }
        return k == 0 ? 0 : s / k;
    }

    /** Unweighted mean of {@link #precision(int)} over the classes present. */
    public double macroPrecision() {
        return macro(this::precision);
    }

    /** Unweighted mean of {@link #recall(int)} over the classes present. */
    public double macroRecall() {
        return macro(this::recall);
    }

    /** Unweighted mean of {@link #f1(int)} over the classes present. */
    public double macroF1() {
        return macro(this::f1);
    }

    /** The matrix as aligned text, rows true classes and columns predicted ones. */
    @Override
    public String toString() {
        int w = 1;
        for (long[] row : counts) {
            for (long v : row) {
                w = Math.max(w, Long.toString(v).length());
            }
        }
        w = Math.max(w, Integer.toString(counts.length - 1).length());
        int lw = Math.max("true\\pred".length(), Integer.toString(counts.length - 1).length());
        StringBuilder s = new StringBuilder(String.format("%" + lw + "s", "true\\pred"));
        for (int c = 0; c < counts.length; c++) {
            s.append(' ').append(String.format("%" + w + "d", c));
        }
        for (int r = 0; r < counts.length; r++) {
            s.append('\n').append(String.format("%" + lw + "d", r));
            for (long v : counts[r]) {
                s.append(' ').append(String.format("%" + w + "d", v));
            }
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix && Arrays.deepEquals(counts, ((ConfusionMatrix) o).counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }
}
