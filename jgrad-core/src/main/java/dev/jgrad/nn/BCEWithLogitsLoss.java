package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Binary cross-entropy of logits, numerically stable, with optional element weights and positive
 * class weights (F.binaryCrossEntropyWithLogits).
 * <pre>{@code
 * BCEWithLogitsLoss criterion = new BCEWithLogitsLoss();
 * Tensor loss = criterion.forward(logits, target);
 * }</pre>
 */
public class BCEWithLogitsLoss extends Loss {
    private final Tensor weight;
    private final Tensor posWeight;

    public BCEWithLogitsLoss() {
        this(null, null, "mean");
    }

    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, String reduction) {
        super(reduction);
        this.weight = weight;
        this.posWeight = posWeight;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction());
    }
}
