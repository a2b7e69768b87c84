package dev.jgrad.cli;

import dev.jgrad.Tensor;
import dev.jgrad.graph.GraphOptions;
import dev.jgrad.graph.Graphs;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jgrad graph}: a picture of the autograd graph of the cost (or the model's output) for the
 * same inputs as {@code jgrad explain}, as DOT or SVG (through Graphviz's {@code dot} when it is on
 * the PATH, else jgrad's own layout).
 * <pre>{@code
 * jgrad graph -o seed.svg
 * jgrad graph --model m.json --data d.csv --loss bce --values --grads --collapse --format dot
 * }</pre>
 */
@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw the autograd graph of the cost: one box per backward function (PyTorch's names), parameters "
                + "with names and shapes, optionally values, gradients, saved tensors and local derivatives; modules as boxes "
                + "or collapsed. Without --model: the seed notebook's network and data."})
public final class GraphCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelInputs inputs;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write the picture (default: standard output).")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", description = "dot or svg (default: from the --out extension, else svg).")
    String format;

    @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "auto",
            description = "For svg: graphviz (its dot program), builtin (jgrad's own layered layout) or auto: graphviz when dot "
                    + "is on the PATH (default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(names = "--of", paramLabel = "WHAT", defaultValue = "cost", description = "cost or output: the tensor whose graph is drawn (default: ${DEFAULT-VALUE}).")
    String of;

    @Option(names = "--values", description = "Show the values of parameters, named intermediates (Z[1], A[1]...) and saved tensors.")
    boolean values;

    @Option(names = "--grads", description = "Run backward first and show the gradients of parameters and named intermediates.")
    boolean grads;

    @Option(names = "--saved", description = "Show the tensors saved for backward (orange, dashed arrows).")
    boolean saved;

    @Option(names = "--formulas", description = "Show each node's local derivative as its op declares it.")
    boolean formulas;

    @Option(names = "--collapse", description = "One box per module (for deep models) instead of a frame around its nodes.")
    boolean collapse;

    @Option(names = "--max-elements", paramLabel = "N", defaultValue = "6",
            description = "Values with more elements are summarised (default: ${DEFAULT-VALUE}).")
    int maxElements;

    @Override
    public Integer call() throws Exception {
        String fmt = format != null ? format : out != null && out.toString().endsWith(".dot") ? "dot" : "svg";
        if (!List.of("dot", "svg").contains(fmt)) {
            throw new ParameterException(spec.commandLine(), "--format must be dot or svg, not '" + fmt + "'");
        }
        if (!List.of("auto", "graphviz", "builtin").contains(layout)) {
            throw new ParameterException(spec.commandLine(), "--layout must be auto, graphviz or builtin, not '" + layout + "'");
        }
        if (!List.of("cost", "output").contains(of)) {
            throw new ParameterException(spec.commandLine(), "--of must be cost or output, not '" + of + "'");
        }
        if (grads && of.equals("output")) {
            throw new ParameterException(spec.commandLine(), "--grads needs --of cost (a scalar to run backward from)");
        }
        if (layout.equals("graphviz") && !Graphs.graphvizAvailable()) {
            throw new IllegalArgumentException("--layout graphviz: Graphviz's dot is not on the PATH (apt-get install graphviz)");
        }
        ModelInputs.Loaded in = inputs.load(spec);
        GraphOptions opts = new GraphOptions().names(in.model()).values(values).grads(grads).saved(saved).formulas(formulas)
                .collapse(collapse).maxElements(maxElements);
        opts.name(in.x(), "X").name(in.y(), "Y");
        Tensor a = in.x();
        int l = 0;
        int primes = 0;
        for (Map.Entry<String, Module> layer : in.layers().entrySet()) {
            Module m = layer.getValue();
            Tensor y = m.forward(a);
            String name;
            if (m instanceof Linear) {
                l++;
                primes = 0;
                name = "Z[" + l + "]";
            } else {
                primes = l == 0 && primes == 0 ? 1 : primes;
                name = "A[" + l + "]" + "′".repeat(primes++);
            }
            if (y != a) {
                opts.name(y, name);
                opts.group(layer.getKey() + ": " + m.toString().replace("\n", " "), a, y);
            }
            a = y;
        }
        Tensor root = a;
        if (of.equals("cost")) {
            root = in.loss().apply(a, in.y());
            opts.name(root, "J (" + in.loss().description() + ")");
        }
        if (grads) {
            for (Tensor t : List.of(root)) {
                t.backward(null, true, false);
            }
        }
        String text;
        if (fmt.equals("dot")) {
            text = Graphs.toDot(root, opts);
        } else if (layout.equals("builtin") || (layout.equals("auto") && !Graphs.graphvizAvailable())) {
            text = Graphs.toSvg(root, opts);
        } else {
            text = Graphs.graphviz(Graphs.toDot(root, opts), "svg");
        }
        if (out != null) {
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } else {
            PrintWriter w = spec.commandLine().getOut();
            w.print(text);
            w.flush();
        }
        return 0;
    }
}
