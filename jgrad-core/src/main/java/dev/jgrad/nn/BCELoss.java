package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Binary cross-entropy of probabilities against targets of the same shape (F.binaryCrossEntropy).
 * <pre>{@code
 * BCELoss criterion = new BCELoss();
 * Tensor loss = criterion.forward(input, target);
 * }</pre>
 */
public class BCELoss extends Loss {
    public BCELoss() {
        this("mean");
    }

    public BCELoss(String reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropy(input, target, null, reduction());
    }
}
