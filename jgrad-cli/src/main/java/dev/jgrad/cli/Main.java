package dev.jgrad.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code jgrad} command-line program.
 * <pre>{@code
 * jgrad seed        # run the seed notebook
 * jgrad --help
 * }</pre>
 */
@Command(name = "jgrad", mixinStandardHelpOptions = true, version = "jgrad 0.1.0",
        description = "PyTorch's eager autograd and neural networks in pure Java.",
        subcommands = {SeedCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the program and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("jgrad: " + ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
