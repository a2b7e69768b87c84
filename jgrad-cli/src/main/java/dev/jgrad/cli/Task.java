package dev.jgrad.cli;

import dev.jgrad.DType;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.metrics.ConfusionMatrix;
import dev.jgrad.metrics.Metrics;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a loss says about the task: the loss itself, whether outputs are classes and how to read
 * them ({@code cross-entropy}: argmax of logits; {@code bce}: probability > 0.5; {@code bce-logits}:
 * logit > 0, with one target column), and evaluation of a model on a whole data set.
 * <pre>{@code
 * Task t = new Task("cross-entropy", 10, 1);
 * Task.Evaluation e = t.evaluate(model, x, y, List.of("accuracy", "f1"));
 * }</pre>
 */
final class Task {
    static final List<String> LOSSES = List.of("bce", "bce-logits", "mse", "cross-entropy");
    static final List<String> CLASS_METRICS = List.of("accuracy", "precision", "recall", "f1", "confusion");
    static final List<String> REGRESSION_METRICS = List.of("mse", "mae");

    final String loss;
    final int outputs;
    final int targets;

    Task(String loss, int outputs, int targets) {
        this.loss = loss;
        this.outputs = outputs;
        this.targets = targets;
    }

    boolean classification() {
        return loss.equals("cross-entropy") || (loss.startsWith("bce") && targets == 1);
    }

    int numClasses() {
        return loss.equals("cross-entropy") ? outputs : 2;
    }

    Tensor lossOf(Tensor output, Tensor target) {
        switch (loss) {
            case "bce": return F.binaryCrossEntropy(output, target);
            case "bce-logits": return F.binaryCrossEntropyWithLogits(output, target);
            case "mse": return F.mseLoss(output, target);
            default: return F.crossEntropy(output, target);
        }
    }

    /** Predicted classes, int64 [N]. */
    Tensor predictedClasses(Tensor output) {
        switch (loss) {
            case "cross-entropy": return Metrics.argmax(output);
            case "bce": return Metrics.threshold(output, 0.5);
            default: return Metrics.threshold(output, 0.0);
        }
    }

    /** True classes, int64 [N]. */
    Tensor trueClasses(Tensor target) {
        return loss.equals("cross-entropy") ? target : Metrics.threshold(target, 0.5);
    }

    /** Class probabilities [N, C] (cross-entropy: softmax) or the probability of class 1 [N, 1]. */
    Tensor probabilities(Tensor output) {
        switch (loss) {
            case "cross-entropy": return output.softmax(1);
            case "bce-logits": return output.sigmoid();
            default: return output;
        }
    }

    /** Metrics that apply to this task. */
    List<String> knownMetrics() {
        return classification() ? CLASS_METRICS : REGRESSION_METRICS;
    }

    /** The loss and metrics of a model on a data set. */
    static final class Evaluation {
        double loss;
        Tensor outputs;
        ConfusionMatrix confusion;
        final Map<String, Double> metrics = new LinkedHashMap<>();
    }

    /**
     * Runs {@code model} in eval mode without recording on {@code x} in chunks of 1000 rows; with
     * targets {@code y}, the mean loss over all rows and the {@code metrics} asked for.
     */
    Evaluation evaluate(Module model, Tensor x, Tensor y, List<String> metrics) {
        Evaluation e = new Evaluation();
        boolean wasTraining = model.isTraining();
        model.eval();
        int n = x.shape()[0];
        List<Tensor> outs = new ArrayList<>();
        double lossSum = 0;
        try (var g = Jgrad.noGrad()) {
            for (int start = 0; start < n; start += 1000) {
                int len = Math.min(1000, n - start);
                Tensor out = model.forward(x.narrow(0, start, len));
                outs.add(out);
                if (y != null) {
                    lossSum += lossOf(out, y.narrow(0, start, len)).item() * len;
                }
            }
        } finally {
            model.train(wasTraining);
        }
        e.outputs = outs.size() == 1 ? outs.get(0) : Jgrad.cat(outs, 0);
        if (y == null) {
            return e;
        }
        e.loss = lossSum / n;
        if (classification()) {
            e.confusion = ConfusionMatrix.of(predictedClasses(e.outputs), trueClasses(y), numClasses());
            for (String m : metrics) {
                switch (m) {
                    case "accuracy": e.metrics.put(m, e.confusion.accuracy()); break;
                    case "precision": e.metrics.put(m, e.confusion.macroPrecision()); break;
                    case "recall": e.metrics.put(m, e.confusion.macroRecall()); break;
                    case "f1": e.metrics.put(m, e.confusion.macroF1()); break;
                    default: break;
                }
            }
        } else {
            for (String m : metrics) {
                if (m.equals("mse")) {
                    e.metrics.put(m, Metrics.mse(e.outputs, y));
                } else if (m.equals("mae")) {
                    e.metrics.put(m, Metrics.mae(e.outputs, y));
                }
            }
        }
        return e;
    }

    /** Number of rows of a batch whose predicted class equals the target's. */
    long correct(Tensor output, Tensor target) {
        long[] p = predictedClasses(output.detach()).toLongArray();
        long[] t = trueClasses(target).toLongArray();
        long c = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == t[i]) {
                c++;
            }
        }
        return c;
    }

    static Tensor asFloat(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? t : t.to(DType.FLOAT32);
    }
}
