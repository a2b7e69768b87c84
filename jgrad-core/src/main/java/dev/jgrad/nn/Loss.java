package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Base class of the loss modules ({@code BCELoss}, {@code MSELoss}, ...): a module whose forward
 * takes an input and a target, with a reduction "mean" (default), "sum" or "none".
 * <pre>{@code
 * Loss criterion = new BCELoss();
 * Tensor cost = criterion.forward(output, target);
 * }</pre>
 */
public abstract class Loss extends Module {
    private final String reduction;

    protected Loss(String reduction) {
        if (!"mean".equals(reduction) && !"sum".equals(reduction) && !"none".equals(reduction)) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
        this.reduction = reduction;
    }

    public String reduction() {
        return reduction;
    }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getName() + ".forward needs an input and a target");
    }
}
