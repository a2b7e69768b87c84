package dev.jgrad.cli;

import dev.jgrad.Tensor;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad predict}: runs a trained model on a data set and writes one CSV row per example
 * (classification: the predicted class, the target when known, and the class probabilities;
 * regression: the outputs and targets); with labels it also prints the loss and metrics.
 * <pre>{@code
 * jgrad predict --model m.json --weights w.safetensors --data test.csv --targets 1 --out predictions.csv
 * }</pre>
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a trained model's predictions on a data set as CSV; with labels, also print the loss and metrics.",
            "Example: jgrad predict --example fashion-mnist --weights fashion-mnist.safetensors --out predictions.csv"})
public final class PredictCommand extends Inference implements Callable<Integer> {
    @Spec
    CommandSpec cmd;

    @Option(names = "--out", paramLabel = "P.csv", description = "Where to write the predictions (default: standard output).")
    Path out;

    @Option(names = {"-q", "--quiet"}, description = "Print no metrics.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        load(cmd.commandLine());
        Tensor y = loaded.labelled() ? loaded.targets() : null;
        Task.Evaluation e = task.evaluate(net, x, y, metrics);
        String csv = table(e.outputs, y);
        PrintWriter w = cmd.commandLine().getOut();
        if (out != null) {
            try (StagedFiles f = new StagedFiles()) {
                f.stage(out, csv.getBytes(StandardCharsets.UTF_8));
                f.commit();
            }
        } else {
            w.print(csv);
        }
        if (!quiet && out != null) {
            w.println("wrote " + x.shape()[0] + " predictions to " + out);
        }
        if (!quiet && y != null) {
            (out != null ? w : cmd.commandLine().getErr()).flush();
            printMetrics(out != null ? w : cmd.commandLine().getErr(), e);
        }
        w.flush();
        return 0;
    }

    private String table(Tensor outputs, Tensor y) {
        int n = outputs.shape()[0];
        StringBuilder s = new StringBuilder("row");
        if (task.classification()) {
            Tensor pred = task.predictedClasses(outputs);
            Tensor prob = task.probabilities(outputs);
            int k = prob.shape()[1];
            s.append(",predicted");
            if (y != null) {
                s.append(",target");
            }
            for (int c = 0; c < k; c++) {
                s.append(",p").append(k == 1 ? 1 : c);
            }
            s.append('\n');
            long[] p = pred.toLongArray();
            long[] t = y == null ? null : task.trueClasses(y).toLongArray();
            double[] pr = prob.toDoubleArray();
            for (int i = 0; i < n; i++) {
                s.append(i).append(',').append(p[i]);
                if (t != null) {
                    s.append(',').append(t[i]);
                }
                for (int c = 0; c < k; c++) {
                    s.append(',').append(f32(pr[i * k + c]));
                }
                s.append('\n');
            }
            return s.toString();
        }
        int k = outputs.shape()[1];
        for (int c = 0; c < k; c++) {
            s.append(",output").append(c);
        }
        if (y != null) {
            for (int c = 0; c < k; c++) {
                s.append(",target").append(c);
            }
        }
        s.append('\n');
        double[] o = outputs.toDoubleArray();
        double[] t = y == null ? null : y.toDoubleArray();
        for (int i = 0; i < n; i++) {
            s.append(i);
            for (int c = 0; c < k; c++) {
                s.append(',').append(f32(o[i * k + c]));
            }
            if (t != null) {
                for (int c = 0; c < k; c++) {
                    s.append(',').append(f32(t[i * k + c]));
                }
            }
            s.append('\n');
        }
        return s.toString();
    }
}
