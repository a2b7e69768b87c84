package dev.jgrad.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jgrad} command-line program.
 * <pre>{@code
 * jgrad seed        # run the seed notebook
 * jgrad init --model m.json --seed 0 --save w.safetensors
 * jgrad train --model m.json --data d.csv --targets 1 --loss bce --optimizer adam --epochs 5 --save out.safetensors
 * jgrad train --example fashion-mnist --plots plots   # Fashion-MNIST, progress, metrics, curves
 * jgrad eval --example fashion-mnist --weights fashion-mnist.safetensors
 * jgrad bench --quick  # jgrad against PyTorch, a smoke run
 * jgrad explain     # the seed notebook's derivation, every number checked against autograd
 * jgrad graph -o seed.svg
 * jgrad --help
 * }</pre>
 */
@Command(name = "jgrad", mixinStandardHelpOptions = true, version = "jgrad 0.1.0",
        description = "PyTorch's eager autograd and neural networks in pure Java.",
        subcommands = {SeedCommand.class, InitCommand.class, TrainCommand.class, PredictCommand.class, EvalCommand.class,
            ExplainCommand.class, GraphCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the program and returns its exit code (for tests). */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /**
     * Runs the program with its output and error text going to {@code out} and {@code err} (null:
     * standard output and error) and returns its exit code: 0, or 2 for any error.
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        if (out != null) {
            cl.setOut(out);
        }
        if (err != null) {
            cl.setErr(err);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String m = ex.getMessage();
            cmd.getErr().println("jgrad: " + (m == null || m.isEmpty() ? ex.toString() : m));
            cmd.getErr().flush();
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
