package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;

/**
 * Multiplies the rate by {@code gamma} every {@code stepSize} epochs, as {@code torch.optim.lr_scheduler.StepLR}.
 * <pre>{@code
 * StepLR s = new StepLR(optimizer, 10, 0.5);   // lr halves every 10 epochs
 * s.step();                                     // after each epoch
 * }</pre>
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR step_size must be a positive integer, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] chainedLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) {
            return lr;
        }
        for (int i = 0; i < lr.length; i++) {
            lr[i] = lr[i] * gamma;
        }
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[baseLrs.length];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = baseLrs[i] * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        }
        return lr;
    }
}
