package dev.jgrad.nn;

import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.PyFormat;
import dev.jgrad.Tensor;

/**
 * In training mode zeroes each element with probability p and scales the rest by 1/(1−p); in
 * evaluation mode the identity. Any shape.
 * <pre>{@code
 * Module m = new Dropout(0.5);
 * m.eval(); Tensor y = m.forward(x); // y == x
 * }</pre>
 */
public class Dropout extends Module {
    private final double p;
    private final Generator generator;

    public Dropout() {
        this(0.5);
    }

    /** Dropout drawing its masks from the default generator. */
    public Dropout(double p) {
        this(p, null);
    }

    /** Dropout drawing its masks from {@code generator} (null: the default generator at each call). */
    public Dropout(double p, Generator generator) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + PyFormat.repr(p));
        }
        this.p = p;
        this.generator = generator;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining(), generator == null ? Jgrad.defaultGenerator() : generator);
    }

    @Override
    public String extraRepr() {
        return "p=" + PyFormat.repr(p) + ", inplace=False";
    }
}
