package dev.jgrad.optim.lr;

import dev.jgrad.optim.Optimizer;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs (and back up
 * after, as PyTorch's schedule continues), with PyTorch 1.13's recursive formula:
 * lr ← (1 + cos(π·t/T)) / (1 + cos(π·(t−1)/T)) · (lr − η_min) + η_min.
 * <pre>{@code
 * CosineAnnealingLR s = new CosineAnnealingLR(optimizer, 50, 0.0);
 * s.step();   // after each epoch
 * }</pre>
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR T_max must be a positive integer, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] chainedLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) {
            return lr;
        }
        if (stepCount == 1 && lastEpoch > 0) {
            for (int i = 0; i < lr.length; i++) {
                lr[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2;
            }
            return lr;
        }
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lr.length; i++) {
                lr[i] = lr[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            }
            return lr;
        }
        for (int i = 0; i < lr.length; i++) {
            lr[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                    * (lr[i] - etaMin) + etaMin;
        }
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[baseLrs.length];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return lr;
    }
}
