package dev.jgrad.cli;

import dev.jgrad.Jgrad;
import dev.jgrad.PrintOptions;
import dev.jgrad.PyFormat;
import dev.jgrad.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Module;
import dev.jgrad.nn.Parameter;
import dev.jgrad.optim.Adam;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jgrad seed}: runs the seed notebook top to bottom with PyTorch's numbers. */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Run the seed notebook: the 2-3-2-1 network, its forward pass, BCE cost, backward pass and Adam.")
public final class SeedCommand implements Runnable {
    @Option(names = "--seed", description = "Seed for the random initial weights (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--steps", description = "Adam steps in total (default: ${DEFAULT-VALUE}).")
    int steps = 100;

    @Override
    public void run() {
        run(System.out);
    }

    /** Prints the notebook's output to {@code out}. */
    public void run(PrintStream out) {
        PrintOptions saved = PrintOptions.get();
        try {
            notebook(out);
        } finally {
            PrintOptions.set(saved);
        }
    }

    private void notebook(PrintStream out) {
        PrintOptions.set(PrintOptions.defaults().withPrecision(4));
        Tensor x = SeedNetwork.notebookX();
        Tensor y = SeedNetwork.notebookY();

        Jgrad.manualSeed(seed);
        SeedNetwork model = new SeedNetwork();
        out.println(model);
        out.println();
        printModelParameters(model, out);

        model.setNotebookWeights();
        out.println("Set the notebook's weights:");
        out.println();
        printModelParameters(model, out);

        out.println("Forward propagation:");
        Tensor output = model.trace(out).forward(x);
        model.trace(null);
        Tensor cost = F.binaryCrossEntropy(output, y);
        out.println("Cost: " + PyFormat.repr(cost.item()));

        Adam optimizer = new Adam(model.parameters(), 0.01);
        optimizer.zeroGrad();
        cost.backward();
        out.println();
        out.println("Backpropagation (cost.backward()):");
        out.println();
        printModelParameters(model, out);
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            out.println(e.getKey() + ".grad:");
            out.println(e.getValue().grad());
        }
        PrintOptions.set(PrintOptions.defaults().withPrecision(8));
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            out.println(e.getKey() + ".grad (8dp):");
            out.println(e.getValue().grad());
        }
        optimizer.step();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            out.println(e.getKey() + " after 1 Adam step:");
            out.println(e.getValue().data());
        }
        for (int step = 2; step <= steps; step++) {
            optimizer.zeroGrad();
            Tensor c = F.binaryCrossEntropy(model.forward(x), y);
            c.backward();
            optimizer.step();
            if (step == 2 || step == 10 || step == 100) {
                out.println("cost before step " + step + ": " + PyFormat.fixed(c.item(), 8));
            }
        }
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            out.println(e.getKey() + " after " + steps + " Adam steps:");
            out.println(e.getValue().data());
        }
    }

    /** The notebook's print_model_parameters. */
    static void printModelParameters(Module model, PrintStream out) {
        int i = 0;
        for (Module child : model.children()) {
            out.println("Layer " + (++i) + ": " + child.getName());
            for (Map.Entry<String, Parameter> e : child.namedParameters().entrySet()) {
                Parameter p = e.getValue();
                out.println();
                out.println(e.getKey() + ": torch.Size(" + p.shapeString() + ") " + p);
                out.println(e.getKey() + ".grad:");
                out.println(p.grad() == null ? "None" : p.grad().toString());
            }
            out.println("-".repeat(80));
        }
    }
}
