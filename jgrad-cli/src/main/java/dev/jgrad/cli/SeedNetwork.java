package dev.jgrad.cli;

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
