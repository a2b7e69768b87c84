package dev.jgrad.nn;

import dev.jgrad.Tensor;
import java.util.List;

/**
 * Modules applied one after another; children are named "0", "1", ... so parameters are
 * {@code 0.weight}, {@code 2.bias}, as in PyTorch.
 * <pre>{@code
 * Sequential net = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1), new Sigmoid());
 * Tensor p = net.forward(x);
 * }</pre>
 */
public class Sequential extends Module {
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    public Sequential(List<? extends Module> modules) {
        this(modules.toArray(new Module[0]));
    }

    /** Appends a module; returns this. */
    public Sequential add(Module m) {
        registerModule(Integer.toString(size()), m);
        return this;
    }

    public int size() {
        return namedChildren().size();
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        int n = size();
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range");
        }
        return children().get(i);
    }

    /**
     * Applies the modules in order. A {@link Linear} with bias directly followed by {@link ReLU}
     * or {@link Sigmoid} runs as one fused kernel (product, bias and activation in one pass over
     * the output), with the same values and autograd graph as the two modules one after the other.
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        Module[] modules = childArray();
        for (int i = 0; i < modules.length; i++) {
            Module m = modules[i];
            Tensor fused = i + 1 < modules.length ? F.fusedLinearActivation(m, modules[i + 1], x) : null;
            if (fused != null) {
                x = fused;
                i++;
            } else {
                x = m.forward(x);
            }
        }
        return x;
    }
}
