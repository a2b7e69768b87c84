package dev.jgrad.cli;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.nn.F;
import dev.jgrad.nn.Linear;
import dev.jgrad.nn.Module;
import java.io.PrintStream;

/**
 * The seed notebook's 2-3-2-1 network: Linear, ReLU, Linear, ReLU, Linear, Sigmoid. Its forward
 * pass can print the intermediate values Z1..A3 as the notebook does.
 * <pre>{@code
 * SeedNetwork net = new SeedNetwork();
 * Tensor a3 = net.forward(x); // x [N, 2] -> [N, 1]
 * }</pre>
 */
public final class SeedNetwork extends Module {
    public final Linear linear1 = registerModule("linear1", new Linear(2, 3));
    public final Linear linear2 = registerModule("linear2", new Linear(3, 2));
    public final Linear linear3 = registerModule("linear3", new Linear(2, 1));
    private PrintStream trace;

    /** The notebook's input X: two samples of two features. */
    public static Tensor notebookX() {
        return Jgrad.tensor(new double[][] {{1.0, 2.0}, {3.0, 4.0}});
    }

    /** The notebook's targets Y. */
    public static Tensor notebookY() {
        return Jgrad.tensor(new double[][] {{0.0}, {1.0}});
    }

    /** Copies the notebook's weights and biases into the layers (as its {@code .data.copy_} cell); returns this. */
    public SeedNetwork setNotebookWeights() {
        linear1.weight.data().copy_(Jgrad.tensor(new double[][] {{-1.0, 2.0}, {3.0, 0.5}, {-0.1, -4.0}}));
        linear1.bias.data().copy_(Jgrad.tensor(new double[] {1.0, -2.0, 0.3}));
        linear2.weight.data().copy_(Jgrad.tensor(new double[][] {{0.5, 1.0, -2.0}, {0.7, 0.1, 0.3}}));
        linear2.bias.data().copy_(Jgrad.tensor(new double[] {-4.0, 5.0}));
        linear3.weight.data().copy_(Jgrad.tensor(new double[][] {{0.5, -0.3}}));
        linear3.bias.data().copy_(Jgrad.tensor(new double[] {0.1}));
        return this;
    }

    /**
     * The forward pass as layers in order, for the explainer: linear1, relu1, linear2, relu2,
     * linear3, sigmoid (the activations are the functional calls of {@link #forward}).
     */
    public java.util.Map<String, Module> layers() {
        java.util.Map<String, Module> m = new java.util.LinkedHashMap<>();
        m.put("linear1", linear1);
        m.put("relu1", new dev.jgrad.nn.ReLU());
        m.put("linear2", linear2);
        m.put("relu2", new dev.jgrad.nn.ReLU());
        m.put("linear3", linear3);
        m.put("sigmoid", new dev.jgrad.nn.Sigmoid());
        return m;
    }

    /** Prints Z1..A3 to {@code out} on each forward pass (null: silent). */
    public SeedNetwork trace(PrintStream out) {
        this.trace = out;
        return this;
    }

    @Override
    public String getName() {
        return "NeuralNet";
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor z1 = linear1.forward(x);
        Tensor a1 = F.relu(z1);
        Tensor z2 = linear2.forward(a1);
        Tensor a2 = F.relu(z2);
        Tensor z3 = linear3.forward(a2);
        Tensor a3 = F.sigmoid(z3);
        if (trace != null) {
            trace.printf("Z1:%n%s%nA1:%n%s%nZ2:%n%s%nA2:%n%s%nZ3:%n%s%nA3:%n%s%n", z1, a1, z2, a2, z3, a3);
        }
        return a3;
    }
}
