package dev.jgrad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/** Metrics against values computed by hand. */
class MetricsTest {
    //            index: 0  1  2  3  4  5  6  7  8  9
    static final long[] TRUE = {0, 0, 0, 1, 1, 1, 1, 2, 2, 3};
    static final long[] PRED = {0, 1, 0, 1, 1, 2, 1, 2, 0, 1};
    // class 3 occurs as a target but is never predicted; class 4 of 5 occurs nowhere.

    @Test
    void confusionMatrixByHand() {
        ConfusionMatrix cm = ConfusionMatrix.of(Jgrad.tensor(PRED), Jgrad.tensor(TRUE), 5);
        assertThat(cm.counts()).isEqualTo(new long[][] {
            {2, 1, 0, 0, 0},
            {0, 3, 1, 0, 0},
            {1, 0, 1, 0, 0},
            {0, 1, 0, 0, 0},
            {0, 0, 0, 0, 0}});
        assertThat(cm.total()).isEqualTo(10);
        assertThat(cm.accuracy()).isEqualTo(0.6); // 2 + 3 + 1 of 10
        // class 0: TP 2, FP 1 (index 8), FN 1 (index 1)
        assertThat(cm.precision(0)).isEqualTo(2.0 / 3);
        assertThat(cm.recall(0)).isEqualTo(2.0 / 3);
        assertThat(cm.f1(0)).isCloseTo(2.0 / 3, within(1e-15));
        // class 1: TP 3, FP 2 (indices 1, 9), FN 1 (index 5)
        assertThat(cm.precision(1)).isEqualTo(3.0 / 5);
        assertThat(cm.recall(1)).isEqualTo(3.0 / 4);
        assertThat(cm.f1(1)).isEqualTo(6.0 / 9);
        // class 2: TP 1, FP 1, FN 1; class 3: TP 0, never predicted: precision 0 (zero_division), recall 0
        assertThat(cm.precision(2)).isEqualTo(0.5);
        assertThat(cm.recall(2)).isEqualTo(0.5);
        assertThat(cm.precision(3)).isZero();
        assertThat(cm.f1(3)).isZero();
        // macro over the 4 classes present (sklearn's labels = unique(y_true ∪ y_pred)), not 5
        assertThat(cm.macroPrecision()).isCloseTo((2.0 / 3 + 0.6 + 0.5 + 0) / 4, within(1e-15));
        assertThat(cm.macroRecall()).isCloseTo((2.0 / 3 + 0.75 + 0.5 + 0) / 4, within(1e-15));
        assertThat(cm.macroF1()).isCloseTo((2.0 / 3 + 2.0 / 3 + 0.5 + 0) / 4, within(1e-15));
        assertThat(cm.toString()).isEqualTo(String.join("\n",
                "true\\pred 0 1 2 3 4",
                "        0 2 1 0 0 0",
                "        1 0 3 1 0 0",
                "        2 1 0 1 0 0",
                "        3 0 1 0 0 0",
                "        4 0 0 0 0 0"));
        ConfusionMatrix twice = ConfusionMatrix.of(Jgrad.tensor(PRED), Jgrad.tensor(TRUE), 5).add(Jgrad.tensor(PRED), Jgrad.tensor(TRUE));
        assertThat(twice.count(1, 1)).isEqualTo(6);
        assertThat(twice.macroF1()).isCloseTo(cm.macroF1(), within(1e-15));
    }

    @Test
    void accuracyArgmaxThresholdAndRegression() {
        Tensor logits = Jgrad.tensor(new double[][] {{0.1, 2.0, -1}, {3, 3, 0}, {-1, -2, -0.5}});
        assertThat(Metrics.argmax(logits).toLongArray()).containsExactly(1, 0, 2); // ties: the first
        assertThat(Metrics.accuracy(Metrics.argmax(logits), Jgrad.tensor(new long[] {1, 1, 2}))).isEqualTo(2.0 / 3);
        assertThat(Metrics.threshold(Jgrad.tensor(new double[][] {{0.2}, {0.5}, {0.7}}), 0.5).toLongArray()).containsExactly(0, 0, 1);
        assertThat(Metrics.accuracy(Jgrad.tensor(PRED), Jgrad.tensor(TRUE))).isEqualTo(0.6);
        Tensor out = Jgrad.tensor(new double[] {1, 2, 3, 4});
        Tensor tgt = Jgrad.tensor(new double[] {1, 0, 4, 4});
        assertThat(Metrics.mse(out, tgt)).isEqualTo((0 + 4 + 1 + 0) / 4.0);
        assertThat(Metrics.mae(out, tgt)).isEqualTo((0 + 2 + 1 + 0) / 4.0);
        assertThatThrownBy(() -> Metrics.accuracy(Jgrad.tensor(new long[] {1}), Jgrad.tensor(new long[] {1, 2})))
                .hasMessageContaining("differ in number: 1 and 2");
        assertThatThrownBy(() -> ConfusionMatrix.of(Jgrad.tensor(new long[] {3}), Jgrad.tensor(new long[] {0}), 3))
                .hasMessageContaining("class index out of range [0, 3): predicted 3, target 0 at position 0");
    }
}
