package dev.jgrad.cli;

import dev.jgrad.Generator;
import dev.jgrad.io.Safetensors;
import dev.jgrad.nn.ModelSpec;
import dev.jgrad.nn.Sequential;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad init}: the initial weights of a model spec, as PyTorch's
 * {@code torch.manual_seed(S); nn.Sequential(...)} creates them, saved as safetensors.
 * <pre>{@code
 * jgrad init --model model.json --seed 0 --save init.safetensors
 * }</pre>
 */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Save the initial weights that torch.manual_seed(S); nn.Sequential(...) creates for a model spec.")
public final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M.json", description = "Model spec (JSON).")
    Path model;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "67280421310721",
            description = "torch.manual_seed value (default: PyTorch's initial seed, ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--save", required = true, paramLabel = "W.safetensors", description = "Where to write the weights.")
    Path save;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        ModelSpec modelSpec = CliFiles.loadSpec(model);
        Sequential net = modelSpec.build(new Generator(seed));
        try (StagedFiles out = new StagedFiles()) {
            out.stage(save, Safetensors.serialize(net.stateDict(), Map.of()));
            out.commit();
        }
        if (!quiet) {
            PrintWriter w = spec.commandLine().getOut();
            w.println(net);
            w.println("saved " + net.namedParameters().size() + " tensors to " + save);
            w.flush();
        }
        return 0;
    }
}
