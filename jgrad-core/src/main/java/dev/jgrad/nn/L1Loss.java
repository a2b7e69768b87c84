package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Mean absolute error between input and target of the same shape (F.l1Loss).
 * <pre>{@code
 * L1Loss criterion = new L1Loss();
 * Tensor loss = criterion.forward(input, target);
 * }</pre>
 */
public class L1Loss extends Loss {
    public L1Loss() {
        this("mean");
    }

    public L1Loss(String reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.l1Loss(input, target, reduction());
    }
}
