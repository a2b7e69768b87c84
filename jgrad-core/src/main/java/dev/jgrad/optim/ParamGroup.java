package dev.jgrad.optim;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of parameters with its own hyperparameters (PyTorch's {@code param_groups} entry):
 * {@code lr}, {@code momentum}, {@code betas}... stored by PyTorch's names so that schedulers can
 * change them between steps.
 * <pre>{@code
 * ParamGroup g = optimizer.paramGroups().get(0);
 * g.set("lr", g.get("lr") * 0.1);
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> options = new LinkedHashMap<>();

    public ParamGroup(List<? extends Tensor> params) {
        this.params = new ArrayList<>(params);
    }

    public List<Tensor> params() {
        return Collections.unmodifiableList(params);
    }

    // the options as arrays too, read by identity of the name first: optimizers read them for every
    // parameter at every step, and a map look-up per option was a tenth of a tiny network's step
    private String[] names = new String[0];
    private double[] values = new double[0];

    /** A numeric hyperparameter; booleans are stored as 0/1. */
    public double get(String name) {
        String[] k = names;
        for (int i = 0; i < k.length; i++) {
            if (k[i] == name) {
                return values[i];
            }
        }
        Double v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("parameter group has no option '" + name + "'");
        }
        return v;
    }

    public boolean flag(String name) {
        return get(name) != 0;
    }

    public ParamGroup set(String name, double value) {
        options.put(name, value);
        snapshot();
        return this;
    }

    /**
     * Identifies this group's current options among all groups' (a new number at every change), so
     * that optimizers may cache what they derive from them.
     */
    long version() {
        return version;
    }

    private static final java.util.concurrent.atomic.AtomicLong VERSIONS = new java.util.concurrent.atomic.AtomicLong();
    private long version;

    private void snapshot() {
        version = VERSIONS.incrementAndGet();
        String[] k = new String[options.size()];
        double[] v = new double[k.length];
        int i = 0;
        for (Map.Entry<String, Double> e : options.entrySet()) {
            k[i] = e.getKey();
            v[i++] = e.getValue();
        }
        names = k;
        values = v;
    }

    public ParamGroup set(String name, boolean value) {
        return set(name, value ? 1.0 : 0.0);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** The hyperparameters by name. */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    /** Fills in the optimizer's defaults for options this group does not set. */
    void applyDefaults(Map<String, Double> defaults) {
        for (Map.Entry<String, Double> e : defaults.entrySet()) {
            options.putIfAbsent(e.getKey(), e.getValue());
        }
        snapshot();
    }
}
