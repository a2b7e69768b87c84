package dev.jgrad.nn;

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

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + PyFormat.repr(p));
        }
        this.p = p;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining());
    }

    @Override
    public String extraRepr() {
        return "p=" + PyFormat.repr(p) + ", inplace=False";
    }
}
