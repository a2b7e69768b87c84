package dev.jgrad.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad eval}: the loss and metrics of a trained model on labelled data (for
 * classification also the confusion matrix), nothing else.
 * <pre>{@code
 * jgrad eval --example fashion-mnist --weights fashion-mnist.safetensors
 * }</pre>
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a trained model's loss and metrics on labelled data.",
            "Example: jgrad eval --model m.json --weights w.safetensors --data test.csv --targets 1"})
public final class EvalCommand extends Inference implements Callable<Integer> {
    @Spec
    CommandSpec cmd;

    @Override
    public Integer call() throws Exception {
        load(cmd.commandLine());
        if (!loaded.labelled()) {
            throw new picocli.CommandLine.ParameterException(cmd.commandLine(),
                    "eval needs labelled data: give --targets N for CSV data (jgrad predict works without labels)");
        }
        Task.Evaluation e = task.evaluate(net, x, loaded.targets(), metrics);
        PrintWriter w = cmd.commandLine().getOut();
        w.println("evaluated " + loaded.description() + " with " + (model != null ? model : "--example " + example));
        printMetrics(w, e);
        return 0;
    }
}
