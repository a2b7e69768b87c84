package dev.jgrad.optim.lr;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the epoch-based learning-rate schedulers, as PyTorch 1.13's {@code _LRScheduler}:
 * construction records each group's {@code initial_lr} (if absent) as its base rate and takes the
 * initial step (epoch 0); each {@link #step()} advances the epoch and sets every group's
 * {@code "lr"} from the chainable formula of {@link #chainedLr()}, exactly as PyTorch computes it,
 * so the sequences are PyTorch's to the bit. Call it once per epoch after the optimizer's steps.
 * <pre>{@code
 * LRScheduler s = new StepLR(optimizer, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) { train(); s.step(); }
 * }</pre>
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected int lastEpoch;
    protected int stepCount;
    protected double[] baseLrs;
    protected double[] lastLr;

    /** Records the base rates; subclasses set their fields, then call {@link #initialStep()}. */
    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) {
                g.set("initial_lr", g.get("lr"));
            }
            baseLrs[i] = g.get("initial_lr");
        }
        lastEpoch = -1;
    }

    /** PyTorch's {@code _initial_step}: resets the step count and steps to epoch 0. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** The rates for epoch {@link #lastEpoch} from the current ones (PyTorch's {@code get_lr}). */
    protected abstract double[] chainedLr();

    /** The rates for epoch {@link #lastEpoch} from the base rates ({@code _get_closed_form_lr}); the chained form if there is none. */
    protected double[] closedFormLr() {
        return chainedLr();
    }

    /** Advances one epoch and sets the groups' rates. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(chainedLr());
    }

    /** Jumps to {@code epoch} with the closed form (PyTorch's deprecated {@code step(epoch)}). */
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        apply(closedFormLr());
    }

    private void apply(double[] values) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).set("lr", values[i]);
        }
        lastLr = currentLrs();
    }

    /** Every group's current {@code "lr"}. */
    protected double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).get("lr");
        }
        return out;
    }

    /** The rates the last step set ({@code get_last_lr()}). */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** The epoch index of the last step ({@code last_epoch}). */
    public int lastEpoch() {
        return lastEpoch;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The counters and rates as named tensors ({@code last_epoch}, {@code _step_count},
     * {@code base_lrs}, {@code _last_lr}), to save with a checkpoint; the hyperparameters are
     * the constructor's.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("last_epoch", Tensor.scalar(lastEpoch, DType.INT64));
        out.put("_step_count", Tensor.scalar(stepCount, DType.INT64));
        out.put("base_lrs", Tensor.fromDoubles(baseLrs, baseLrs.length));
        out.put("_last_lr", Tensor.fromDoubles(lastLr, lastLr.length));
        return out;
    }

    /** Restores {@link #stateDict()}'s values (the optimizer's rates are restored with the optimizer's own state). */
    public void loadStateDict(Map<String, Tensor> state) {
        lastEpoch = (int) required(state, "last_epoch").item();
        stepCount = (int) required(state, "_step_count").item();
        baseLrs = required(state, "base_lrs").toDoubleArray();
        lastLr = required(state, "_last_lr").toDoubleArray();
    }

    static Tensor required(Map<String, Tensor> state, String key) {
        Tensor t = state.get(key);
        if (t == null) {
            throw new IllegalArgumentException("scheduler state has no '" + key + "' (has " + state.keySet() + ")");
        }
        return t;
    }
}
