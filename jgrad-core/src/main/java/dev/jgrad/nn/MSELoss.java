package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Mean squared error between input and target of the same shape (F.mseLoss).
 * <pre>{@code
 * MSELoss criterion = new MSELoss();
 * Tensor loss = criterion.forward(input, target);
 * }</pre>
 */
public class MSELoss extends Loss {
    public MSELoss() {
        this("mean");
    }

    public MSELoss(String reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.mseLoss(input, target, reduction());
    }
}
