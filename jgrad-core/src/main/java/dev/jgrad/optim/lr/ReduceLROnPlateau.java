package dev.jgrad.optim.lr;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiplies the rate by {@code factor} when a metric has not improved for more than
 * {@code patience} epochs, as PyTorch 1.13's {@code ReduceLROnPlateau} (modes min/max, relative or
 * absolute threshold, cooldown, minimum rate, eps).
 * <pre>{@code
 * ReduceLROnPlateau s = new ReduceLROnPlateau(optimizer);   // min mode, factor 0.1, patience 10
 * s.step(validationLoss);                                   // after each epoch
 * }</pre>
 */
public final class ReduceLROnPlateau {
    private final Optimizer optimizer;
    private final boolean max;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final boolean relative;
    private final int cooldown;
    private final double minLr;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;

    /** PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown, min_lr 0, eps 1e-8. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, "min", 0.1, 10, 1e-4, "rel", 0, 0.0, 1e-8);
    }

    public ReduceLROnPlateau(Optimizer optimizer, String mode, double factor, int patience, double threshold, String thresholdMode,
                             int cooldown, double minLr, double eps) {
        if (factor >= 1.0) {
            throw new IllegalArgumentException("Factor should be < 1.0.");
        }
        if (!mode.equals("min") && !mode.equals("max")) {
            throw new IllegalArgumentException("mode " + mode + " is unknown!");
        }
        if (!thresholdMode.equals("rel") && !thresholdMode.equals("abs")) {
            throw new IllegalArgumentException("threshold mode " + thresholdMode + " is unknown!");
        }
        this.optimizer = optimizer;
        this.max = mode.equals("max");
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.relative = thresholdMode.equals("rel");
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.eps = eps;
        this.best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Records one epoch's metric and reduces the rates if it has stopped improving. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            for (ParamGroup g : optimizer.paramGroups()) {
                double old = g.get("lr");
                double lr = Math.max(old * factor, minLr);
                if (old - lr > eps) {
                    g.set("lr", lr);
                }
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(double a, double best) {
        if (!max) {
            return relative ? a < best * (1. - threshold) : a < best - threshold;
        }
        return relative ? a > best * (threshold + 1.) : a > best + threshold;
    }

    /** Every group's current rate. */
    public double[] getLastLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).get("lr");
        }
        return out;
    }

    /** The best metric so far. */
    public double best() {
        return best;
    }

    /** {@code best}, {@code num_bad_epochs}, {@code cooldown_counter}, {@code last_epoch}. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("best", Tensor.scalar(best, DType.FLOAT64));
        out.put("num_bad_epochs", Tensor.scalar(numBadEpochs, DType.INT64));
        out.put("cooldown_counter", Tensor.scalar(cooldownCounter, DType.INT64));
        out.put("last_epoch", Tensor.scalar(lastEpoch, DType.INT64));
        return out;
    }

    public void loadStateDict(Map<String, Tensor> state) {
        best = LRScheduler.required(state, "best").item();
        numBadEpochs = (int) LRScheduler.required(state, "num_bad_epochs").item();
        cooldownCounter = (int) LRScheduler.required(state, "cooldown_counter").item();
        lastEpoch = (int) LRScheduler.required(state, "last_epoch").item();
    }
}
