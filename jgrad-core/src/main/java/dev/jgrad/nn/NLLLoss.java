package dev.jgrad.nn;

import dev.jgrad.Tensor;

/**
 * Negative log-likelihood of log-probabilities [N, C] at int64 class indices [N] (F.nllLoss).
 * <pre>{@code
 * NLLLoss criterion = new NLLLoss();
 * Tensor loss = criterion.forward(logProbs, labels);
 * }</pre>
 */
public class NLLLoss extends Loss {
    private final Tensor weight;
    private final int ignoreIndex;

    public NLLLoss() {
        this(null, -100, "mean");
    }

    public NLLLoss(Tensor weight, int ignoreIndex, String reduction) {
        super(reduction);
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, weight, ignoreIndex, reduction());
    }
}
