package dev.jgrad.optim.lr;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another, switching at the given epochs, as PyTorch 1.13's
 * {@code SequentialLR} (including how construction resets the rates and re-takes the first
 * scheduler's initial step, and how each later scheduler starts from its closed form at epoch 0).
 * The usual use is a linear warm-up followed by another schedule.
 * <pre>{@code
 * LRScheduler s = new SequentialLR(optimizer, List.of(new LinearLR(optimizer, 0.1, 1.0, 3),
 *         new CosineAnnealingLR(optimizer, 20)), new int[] {3});
 * }</pre>
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    public SequentialLR(dev.jgrad.optim.Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super(optimizer);
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("Sequential Schedulers expects all schedulers to belong to the same optimizer, "
                        + "but got schedulers at index " + i + " to be different than the optimizer passed in.");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("Sequential Schedulers expects number of schedulers provided to be one more than the "
                    + "number of milestone points, but got number of schedulers " + schedulers.size()
                    + " and the number of milestones to be equal to " + milestones.length);
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        this.lastEpoch = 0; // last_epoch + 1
        for (ParamGroup g : optimizer.paramGroups()) {
            g.set("lr", g.get("initial_lr"));
        }
        for (LRScheduler s : schedulers) {
            s.lastEpoch -= 1;
        }
        schedulers.get(0).initialStep();
        this.lastLr = schedulers.get(0).getLastLr();
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) {
            idx++; // bisect_right
        }
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) {
            s.step(0);
        } else {
            s.step();
        }
        lastLr = s.getLastLr();
    }

    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("SequentialLR steps one epoch at a time");
    }

    @Override
    protected double[] chainedLr() {
        throw new UnsupportedOperationException();
    }

    /** Its own counters plus each scheduler's state under {@code _schedulers.<i>.}. */
    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("last_epoch", Tensor.scalar(lastEpoch, DType.INT64));
        out.put("_last_lr", Tensor.fromDoubles(lastLr, lastLr.length));
        for (int i = 0; i < schedulers.size(); i++) {
            for (Map.Entry<String, Tensor> e : schedulers.get(i).stateDict().entrySet()) {
                out.put("_schedulers." + i + "." + e.getKey(), e.getValue());
            }
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        lastEpoch = (int) required(state, "last_epoch").item();
        lastLr = required(state, "_last_lr").toDoubleArray();
        for (int i = 0; i < schedulers.size(); i++) {
            String p = "_schedulers." + i + ".";
            Map<String, Tensor> sub = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                if (e.getKey().startsWith(p)) {
                    sub.put(e.getKey().substring(p.length()), e.getValue());
                }
            }
            schedulers.get(i).loadStateDict(sub);
        }
    }
}
