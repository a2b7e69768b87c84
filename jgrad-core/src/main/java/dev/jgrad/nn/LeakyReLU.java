package dev.jgrad.nn;

import dev.jgrad.PyFormat;
import dev.jgrad.Tensor;

/**
 * x for x &gt; 0, negativeSlope · x otherwise, element-wise; any shape.
 * <pre>{@code
 * Module m = new LeakyReLU(0.1);
 * Tensor y = m.forward(x);
 * }</pre>
 */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    public String extraRepr() {
        return "negative_slope=" + PyFormat.repr(negativeSlope);
    }
}
