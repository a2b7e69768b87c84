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

    /** A numeric hyperparameter; booleans are stored as 0/1. */
    public double get(String name) {
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
        return this;
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
    }
}
