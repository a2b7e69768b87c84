package dev.jgrad.optim;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.GradMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Base class of optimizers, as {@code torch.optim.Optimizer}: parameter groups with their
 * hyperparameters, per-parameter state, {@link #zeroGrad()} and {@link #step()}.
 * <pre>{@code
 * Optimizer opt = new Adam(model.parameters(), 0.01);
 * opt.zeroGrad(); loss.backward(); opt.step();
 * }</pre>
 */
public abstract class Optimizer {
    private final List<ParamGroup> paramGroups = new ArrayList<>();
    private final Map<String, Double> defaults;
    private final Map<Tensor, Object> state = new IdentityHashMap<>();

    protected Optimizer(List<? extends Tensor> params, Map<String, Double> defaults) {
        this.defaults = new LinkedHashMap<>(defaults);
        if (params.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        addParamGroup(new ParamGroup(params));
    }

    /**
     * Adds a group; options it does not set take the optimizer's defaults. As PyTorch's
     * add_param_group: non-leaf tensors are rejected unless they retain their grad, then
     * parameters already in another group.
     */
    public void addParamGroup(ParamGroup group) {
        for (Tensor p : group.params()) {
            if (!(p.isLeaf() || p.retainsGrad())) {
                throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
            }
        }
        for (ParamGroup g : paramGroups) {
            for (Tensor p : group.params()) {
                if (g.params().stream().anyMatch(q -> q == p)) {
                    throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                }
            }
        }
        group.applyDefaults(defaults);
        paramGroups.add(group);
    }

    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(paramGroups);
    }

    /** The default hyperparameters. */
    public Map<String, Double> defaults() {
        return Collections.unmodifiableMap(defaults);
    }

    /** Sets all gradients to null (PyTorch 2's default). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Sets all gradients to null, or to zero in place. As PyTorch, zeroing first cuts the gradient
     * from any graph (a {@code create_graph} backward leaves one): it no longer requires grad.
     * PyTorch detaches the gradient tensor itself ({@code detach_}); here a gradient with a
     * {@code gradFn} is replaced by a detached alias of the same storage, which is then zeroed.
     */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup group : paramGroups) {
            for (Tensor p : group.params()) {
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                if (setToNone) {
                    p.setGrad(null);
                    continue;
                }
                if (grad.gradFn() != null) {
                    grad = grad.detach();
                    p.setGrad(grad);
                } else if (grad.requiresGrad()) {
                    grad.requiresGrad_(false);
                }
                grad.zero_();
            }
        }
    }

    /** Performs one update of every parameter that has a gradient. */
    public final void step() {
        try (var g = GradMode.noGrad()) {
            for (ParamGroup group : paramGroups) {
                for (Tensor p : group.params()) {
                    if (p.grad() != null) {
                        update(group, p, p.grad());
                    }
                }
            }
        }
    }

    /** Updates one parameter in place from its gradient. */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad);

    /** The state of {@code param}, or null before its first update (no allocation on the hot path). */
    protected Object stateOrNull(Tensor param) {
        return state.get(param);
    }

    /** Sets the state of {@code param}. */
    protected void putState(Tensor param, Object value) {
        state.put(param, value);
    }

    /** The state of {@code param}, created on first use. */
    @SuppressWarnings("unchecked")
    protected <S> S state(Tensor param, Supplier<S> create) {
        return (S) state.computeIfAbsent(param, k -> create.get());
    }

    /**
     * The optimizer's state as named tensors, PyTorch's {@code state_dict()} flattened with dots:
     * {@code state.<i>.<name>} for the state of the i-th parameter (counting through the groups
     * in order, as PyTorch does), {@code param_groups.<g>.params} (int64 indices) and
     * {@code param_groups.<g>.<option>} (0-d float64). It can be saved with
     * {@link dev.jgrad.io.Safetensors} to resume training later.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int index = 0;
        for (int g = 0; g < paramGroups.size(); g++) {
            ParamGroup group = paramGroups.get(g);
            long[] ids = new long[group.params().size()];
            for (int k = 0; k < ids.length; k++) {
                Tensor p = group.params().get(k);
                Object st = state.get(p);
                if (st != null) {
                    for (Map.Entry<String, Tensor> e : saveState(st, p).entrySet()) {
                        out.put("state." + index + "." + e.getKey(), e.getValue());
                    }
                }
                ids[k] = index++;
            }
            out.put("param_groups." + g + ".params", Tensor.fromLongs(ids, ids.length));
            for (Map.Entry<String, Double> o : group.options().entrySet()) {
                out.put("param_groups." + g + "." + o.getKey(), Tensor.scalar(o.getValue(), DType.FLOAT64));
            }
        }
        return out;
    }

    /**
     * Restores hyperparameters and per-parameter state from {@link #stateDict()} of an optimizer
     * of the same kind over parameters of the same shapes, in the same group layout.
     */
    public void loadStateDict(Map<String, Tensor> stateDict) {
        Map<Tensor, Object> loaded = new IdentityHashMap<>();
        List<Map<String, Double>> options = new ArrayList<>();
        int index = 0;
        int groups = 0;
        while (stateDict.containsKey("param_groups." + groups + ".params")) {
            groups++;
        }
        if (groups != paramGroups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups ("
                    + groups + " instead of " + paramGroups.size() + ")");
        }
        for (int g = 0; g < groups; g++) {
            ParamGroup group = paramGroups.get(g);
            String prefix = "param_groups." + g + ".";
            long[] ids = stateDict.get(prefix + "params").toLongArray();
            if (ids.length != group.params().size()) {
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the size "
                        + "of optimizer's group (group " + g + ": " + ids.length + " parameters instead of " + group.params().size() + ")");
            }
            Map<String, Double> opts = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
                if (e.getKey().startsWith(prefix) && !e.getKey().equals(prefix + "params")) {
                    opts.put(e.getKey().substring(prefix.length()), e.getValue().item());
                }
            }
            options.add(opts);
            for (int k = 0; k < ids.length; k++) {
                Tensor p = group.params().get(k);
                String sp = "state." + ids[k] + ".";
                Map<String, Tensor> entries = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
                    if (e.getKey().startsWith(sp)) {
                        Tensor t = e.getValue();
                        if (t.dim() > 0 && !java.util.Arrays.equals(t.shape(), p.shape())) {
                            throw new IllegalArgumentException("state of parameter " + index + " ('" + e.getKey() + "') has shape "
                                    + t.shapeString() + " but the parameter has shape " + p.shapeString());
                        }
                        entries.put(e.getKey().substring(sp.length()), t);
                    }
                }
                if (!entries.isEmpty()) {
                    loaded.put(p, loadState(entries, p));
                }
                index++;
            }
        }
        for (int g = 0; g < groups; g++) {
            for (Map.Entry<String, Double> o : options.get(g).entrySet()) {
                paramGroups.get(g).set(o.getKey(), o.getValue());
            }
        }
        state.clear();
        state.putAll(loaded);
    }

    /** The named tensors of one parameter's state (e.g. {@code exp_avg}); none by default. */
    protected Map<String, Tensor> saveState(Object state, Tensor param) {
        return Map.of();
    }

    /** Rebuilds one parameter's state from {@link #saveState}'s tensors. */
    protected Object loadState(Map<String, Tensor> entries, Tensor param) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " keeps no per-parameter state, but the state dict has "
                + entries.keySet());
    }

    /** Values of a state tensor, checked to exist. */
    protected static double[] entry(Map<String, Tensor> entries, String name) {
        Tensor t = entries.get(name);
        if (t == null) {
            throw new IllegalArgumentException("state dict entry '" + name + "' is missing (have " + entries.keySet() + ")");
        }
        return t.toDoubleArray();
    }

    /** A state array as a tensor shaped and typed like its parameter. */
    protected static Tensor asTensor(double[] values, Tensor param) {
        return Tensor.fromDoubles(values, param.shape()).to(param.dtype());
    }

    /** The state of {@code param}, or null before its first step. */
    public Object stateOf(Tensor param) {
        return state.get(param);
    }

    /** Rounds to the parameter's precision: float32 arithmetic is emulated by rounding each step. */
    static double round(double v, boolean f32) {
        return f32 ? (float) v : v;
    }

    /**
     * {@code a + alpha · b} rounded once to the parameter's precision. PyTorch's CPU kernels of
     * {@code add(b, alpha=...)} and {@code addcmul} compute this with a fused multiply-add
     * ({@code vec::fmadd} in the vectorized loop, and the scalar tail is contracted to an FMA by the
     * compiler too), so rounding the product first would be off by an ulp in about one element in five.
     */
    static double fma(double alpha, double b, double a, boolean f32) {
        return f32 ? Math.fma((float) alpha, (float) b, (float) a) : Math.fma(alpha, b, a);
    }

    static boolean isFloat32(Tensor t) {
        return t.dtype() == DType.FLOAT32;
    }

    protected static void checkNonNegative(String what, double v) {
        if (!(v >= 0)) {
            throw new IllegalArgumentException("Invalid " + what + ": " + dev.jgrad.PyFormat.repr(v));
        }
    }
}
