package dev.jgrad.cli;

import dev.jgrad.explain.ExplainRenderer;
import dev.jgrad.explain.ExplainTrace;
import dev.jgrad.explain.Explainer;
import dev.jgrad.optim.Adam;
import dev.jgrad.optim.Optimizer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad explain}: one training step worked out by hand and checked against autograd
 * (see {@link Explainer}); the seed notebook's whole derivation when run without arguments.
 * Exits with 0 when every check is ✓, 1 when one is ✗, 2 on bad input.
 * <pre>{@code
 * jgrad explain --format markdown > seed.md
 * jgrad explain --model m.json --weights w.safetensors --data d.csv --loss bce --optimizer adam --lr 0.01 --sample 3
 * }</pre>
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Explain one training step: the forward pass layer by layer, the loss per sample, the backward pass "
                + "node by node in the order autograd runs it (each local derivative as the op declares it, worked out by hand "
                + "with plain arrays), every parameter's hand gradient beside autograd's .grad (✓/✗), and the optimizer step.",
            "Without --model: the seed notebook's network, weights, data, binary cross-entropy and Adam (lr 0.01).",
            "Exit code 0 when every check is ✓, 1 when one is ✗, 2 on bad input."})
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelInputs inputs;

    @Option(names = "--optimizer", paramLabel = "OPT",
            description = "sgd, adam, adamw or none (default: adam with lr 0.01 for the seed, none otherwise).")
    String optimizer;

    @Mixin
    OptimizerOptions hyper;

    @Option(names = "--sample", paramLabel = "I", description = "Explain sample I alone (1-based, as the notebook's x⁽¹⁾, x⁽²⁾), as a batch of one.")
    Integer sample;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, markdown (LaTeX math that renders on GitHub) or json (the whole trace) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--max-elements", paramLabel = "N", defaultValue = "64",
            description = "Matrices with more elements are summarised: edge items, shape and norm (default: ${DEFAULT-VALUE}).")
    int maxElements;

    @Override
    public Integer call() throws Exception {
        if (!List.of("text", "markdown", "json").contains(format)) {
            throw new ParameterException(spec.commandLine(), "--format must be text, markdown or json, not '" + format + "'");
        }
        if (maxElements < 1) {
            throw new ParameterException(spec.commandLine(), "--max-elements must be at least 1, got " + maxElements);
        }
        ModelInputs.Loaded in = inputs.load(spec);
        Optimizer opt = makeOptimizer(in);
        Explainer ex = in.isSeed() ? Explainer.of(in.model(), in.layers()) : Explainer.of((dev.jgrad.nn.Sequential) in.model());
        ex.data(in.x(), in.y()).loss(in.loss()).optimizer(opt).title(in.title());
        if (sample != null) {
            ex.sample(sample);
        }
        ExplainTrace trace;
        try {
            trace = ex.explain();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String out;
        switch (format) {
            case "markdown": out = ExplainRenderer.markdown(trace, maxElements); break;
            case "json": out = ExplainRenderer.json(trace); break;
            default: out = ExplainRenderer.text(trace, maxElements);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.print(out);
        w.flush();
        return trace.allChecksPass() ? 0 : 1;
    }

    private Optimizer makeOptimizer(ModelInputs.Loaded in) {
        String name = optimizer;
        if (name == null) {
            if (hyper.anyGiven()) {
                throw new ParameterException(spec.commandLine(), "optimizer options need --optimizer");
            }
            return in.isSeed() ? new Adam(in.model().parameters(), 0.01) : null;
        }
        if (name.equals("none")) {
            return null;
        }
        String error = hyper.error(name);
        if (error != null) {
            throw new ParameterException(spec.commandLine(), error.replace("sgd, adam or adamw", "sgd, adam, adamw or none"));
        }
        return hyper.make(name, in.model().parameters());
    }
}
