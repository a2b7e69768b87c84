package dev.jgrad.cli;

import dev.jgrad.Generator;
import dev.jgrad.Tensor;
import dev.jgrad.data.Standardizer;
import dev.jgrad.io.Json;
import dev.jgrad.io.Safetensors;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Sequential;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options and work that {@code jgrad predict} and {@code jgrad eval} share: a model spec and
 * trained weights (with the standardisation {@code jgrad train --standardize} saved beside them),
 * a data set in any of {@code --data}'s forms, and the task its loss implies.
 * <pre>{@code
 * jgrad eval --model m.json --weights w.safetensors --data test.csv --targets 1 --loss bce
 * }</pre>
 */
abstract class Inference {
    @Option(names = "--example", paramLabel = "NAME",
            description = "fashion-mnist: the example's model, cross-entropy and fashion-mnist:test unless given.")
    String example;

    @Option(names = "--model", paramLabel = "M.json", description = "Model spec (JSON).")
    Path model;

    @Option(names = "--weights", required = true, paramLabel = "W.safetensors", description = "Trained weights (jgrad train --save).")
    Path weights;

    @Option(names = "--data", paramLabel = "D",
            description = "Data: D.csv, X,Y (IDX or .npy), fashion-mnist:test[:N] or a synthetic set (moons:500,seed=3).")
    String data;

    @Option(names = "--targets", paramLabel = "N",
            description = "CSV data: the last N columns are targets (without it, every column is a feature and there are no metrics).")
    Integer targets;

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "The training loss, which says how to read the outputs: bce, bce-logits, mse or cross-entropy "
                    + "(default: bce after a final sigmoid, cross-entropy for several outputs).")
    String loss;

    @Option(names = "--metrics", paramLabel = "LIST", split = ",",
            description = "accuracy, precision, recall, f1, confusion (classification); mse, mae (regression). Default: all that apply.")
    List<String> metrics;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of synthetic data without seed= (default: 0).")
    long seed;

    ModelSpec spec;
    Sequential net;
    Task task;
    DataSources.Loaded loaded;
    Tensor x;

    /** Loads model, weights, data and task. */
    void load(picocli.CommandLine cl) throws IOException {
        if (example != null) {
            if (!example.equals("fashion-mnist")) {
                throw new picocli.CommandLine.ParameterException(cl, "--example must be fashion-mnist, not '" + example + "'");
            }
            if (model == null) {
                try (InputStream in = Inference.class.getResourceAsStream("/examples/fashion-mnist.json")) {
                    spec = ModelSpec.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            data = data != null ? data : "fashion-mnist:test";
            loss = loss != null ? loss : "cross-entropy";
        }
        if (spec == null && model == null) {
            throw new picocli.CommandLine.ParameterException(cl, "Missing required option: '--model=M.json'");
        }
        if (data == null) {
            throw new picocli.CommandLine.ParameterException(cl, "Missing required option: '--data=D'");
        }
        if (spec == null) {
            spec = CliFiles.loadSpec(model);
        }
        int outputs = spec.outFeatures();
        if (loss == null) {
            List<ModelSpec.Layer> layers = spec.layers();
            boolean sigmoid = !layers.isEmpty() && layers.get(layers.size() - 1).type().equals("sigmoid");
            if (sigmoid) {
                loss = "bce";
            } else if (outputs > 1) {
                loss = "cross-entropy";
            } else {
                throw new picocli.CommandLine.ParameterException(cl, "--loss is needed to read one output without a final sigmoid "
                        + "(bce-logits or mse)");
            }
        }
        if (!Task.LOSSES.contains(loss)) {
            throw new picocli.CommandLine.ParameterException(cl, "--loss must be bce, bce-logits, mse or cross-entropy, not '" + loss + "'");
        }
        if (!Files.exists(weights)) {
            throw new NoSuchFileException(weights + ": no such file");
        }
        net = spec.build(new Generator(0));
        Safetensors.Contents c = Safetensors.read(weights);
        try {
            net.loadStateDict(c.tensors(), true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(weights + ": " + e.getMessage(), e);
        }
        boolean csv = !dev.jgrad.data.Synthetic.isSpec(data) && !data.startsWith("fashion-mnist")
                && !(data.indexOf(',') > 0 && !Files.exists(Path.of(data)));
        boolean classes = loss.equals("cross-entropy");
        loaded = DataSources.load(data, csv ? targets : Integer.valueOf(1), loss, classes ? outputs : 0, seed);
        if (csv && targets == null) {
            loaded = new DataSources.Loaded(loaded.dataset(), loaded.description(), false);
        }
        x = loaded.features();
        int in = spec.inFeatures();
        if (in >= 0 && in != x.shape()[1]) {
            throw new IllegalArgumentException("--data " + loaded.description() + " has " + x.shape()[1] + " features per example, but "
                    + "the model's first linear layer takes in=" + in);
        }
        String st = c.metadata().get("jgrad.standardize");
        if (st != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Json.parse(st);
            x = new Standardizer(doubles(m.get("mean")), doubles(m.get("scale"))).transform(x);
        }
        int targetCount = !loaded.labelled() || loaded.targets().dim() == 1 ? 1 : loaded.targets().shape()[1];
        task = new Task(loss, outputs, targetCount);
        if (metrics == null) {
            metrics = task.knownMetrics();
        }
        for (String m : metrics) {
            if (!task.knownMetrics().contains(m)) {
                throw new picocli.CommandLine.ParameterException(cl, "--metrics: '" + m + "' does not apply to --loss " + loss
                        + " (known: " + String.join(", ", task.knownMetrics()) + ")");
            }
        }
    }

    private static double[] doubles(Object o) {
        List<?> l = (List<?>) o;
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = ((Number) l.get(i)).doubleValue();
        }
        return d;
    }

    /** Prints the loss and metrics of an evaluation. */
    void printMetrics(PrintWriter w, Task.Evaluation e) {
        w.println(String.format(Locale.ROOT, "%-9s %.4f", "loss", e.loss));
        for (Map.Entry<String, Double> m : e.metrics.entrySet()) {
            w.println(String.format(Locale.ROOT, "%-9s %.4f", m.getKey(), m.getValue()));
        }
        if (metrics.contains("confusion") && e.confusion != null) {
            w.println("confusion matrix (rows: true class, columns: predicted):");
            w.println(e.confusion);
        }
        w.flush();
    }

    /** A float32 value as its shortest decimal (Python's repr of the float32 number). */
    static String f32(double v) {
        String s = Float.toString((float) v);
        if (s.contains("E")) {
            int e = s.indexOf('E');
            String mant = s.substring(0, e);
            int exp = Integer.parseInt(s.substring(e + 1));
            if (mant.endsWith(".0")) {
                mant = mant.substring(0, mant.length() - 2);
            }
            return mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        return s;
    }
}
