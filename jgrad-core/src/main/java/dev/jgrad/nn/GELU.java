package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Gaussian error linear unit x · Φ(x), exact ("none") or with the tanh approximation; any shape.
 * <pre>{@code
 * Module m = new GELU("tanh");
 * Tensor y = m.forward(x);
 * }</pre>
 */
public class GELU extends Module {
    private final String approximate;

    public GELU() {
        this("none");
    }

    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        }
        this.approximate = approximate;
    }

    /** "none" (exact) or "tanh". */
    public String approximate() {
        return approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.gelu(input, approximate);
    }

    @Override
    public String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
