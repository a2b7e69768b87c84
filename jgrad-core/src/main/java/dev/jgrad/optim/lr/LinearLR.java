package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;

/**
 * Scales the rate by a factor moving linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs, as {@code torch.optim.lr_scheduler.LinearLR} (PyTorch's defaults
 * 1/3, 1.0, 5); with a small start factor it is a linear warm-up.
 * <pre>{@code
 * LinearLR warmup = new LinearLR(optimizer, 0.1, 1.0, 5);   // 10% of lr, reaching lr after 5 epochs
 * warmup.step();                                            // after each epoch
 * }</pre>
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (startFactor > 1.0 || !(startFactor > 0)) {
            throw new IllegalArgumentException("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
        }
        if (endFactor > 1.0 || !(endFactor >= 0)) {
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        }
        if (totalIters < 1) {
            throw new IllegalArgumentException("LinearLR total_iters must be a positive integer, got " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] chainedLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lr.length; i++) {
                lr[i] = lr[i] * startFactor;
            }
            return lr;
        }
        if (lastEpoch > totalIters) {
            return lr;
        }
        for (int i = 0; i < lr.length; i++) {
            lr[i] = lr[i] * (1. + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor)));
        }
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[baseLrs.length];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = baseLrs[i] * (startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters);
        }
        return lr;
    }
}
