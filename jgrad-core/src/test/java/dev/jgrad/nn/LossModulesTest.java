package dev.jgrad.nn;

import static dev.jgrad.Jgrad.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jgrad.Tensor;
import org.junit.jupiter.api.Test;

/** Loss modules delegate to the functional losses and print as PyTorch's (reprs from PyTorch 1.13). */
class LossModulesTest {
    private final Tensor p = tensor(new double[][] {{0.2, 0.9}, {0.6, 0.3}});
    private final Tensor y = tensor(new double[][] {{0, 1}, {1, 0}});
    private final Tensor logits = tensor(new double[][] {{1.5, -0.5, 0.2}, {0.1, 2.0, -1.0}});
    private final Tensor labels = tensor(new long[] {2, 1});

    @Test
    void modulesEqualTheFunctionalForms() {
        assertThat(new BCELoss().forward(p, y).item()).isEqualTo(F.binaryCrossEntropy(p, y).item());
        assertThat(new BCELoss("sum").forward(p, y).item()).isEqualTo(F.binaryCrossEntropy(p, y, null, "sum").item());
        assertThat(new MSELoss().forward(p, y).item()).isEqualTo(F.mseLoss(p, y).item());
        assertThat(new L1Loss("none").forward(p, y).toDoubleArray()).containsExactly(F.l1Loss(p, y, "none").toDoubleArray());
        assertThat(new BCEWithLogitsLoss().forward(logits.narrow(1, 0, 2), y).item())
                .isEqualTo(F.binaryCrossEntropyWithLogits(logits.narrow(1, 0, 2), y).item());
        assertThat(new CrossEntropyLoss().forward(logits, labels).item()).isEqualTo(F.crossEntropy(logits, labels).item());
        assertThat(new CrossEntropyLoss(null, -100, "mean", 0.1).forward(logits, labels).item())
                .isEqualTo(F.crossEntropy(logits, labels, null, -100, "mean", 0.1).item());
        Tensor logp = logits.logSoftmax(1);
        assertThat(new NLLLoss().forward(logp, labels).item()).isEqualTo(F.nllLoss(logp, labels).item());
    }

    @Test
    void reprsAreTorchs() {
        assertThat(new BCELoss().toString()).isEqualTo("BCELoss()");
        assertThat(new CrossEntropyLoss(null, -100, "mean", 0.1).toString()).isEqualTo("CrossEntropyLoss()");
        assertThat(new MSELoss("sum").toString()).isEqualTo("MSELoss()");
        assertThat(new BCEWithLogitsLoss().toString()).isEqualTo("BCEWithLogitsLoss()");
        assertThat(new NLLLoss().toString()).isEqualTo("NLLLoss()");
        assertThat(new L1Loss().toString()).isEqualTo("L1Loss()");
    }

    @Test
    void badReductionAndMissingTargetAreErrors() {
        assertThatThrownBy(() -> new MSELoss("avg")).hasMessage("avg is not a valid value for reduction");
        assertThatThrownBy(() -> new MSELoss().forward(p)).hasMessage("MSELoss.forward needs an input and a target");
    }
}
