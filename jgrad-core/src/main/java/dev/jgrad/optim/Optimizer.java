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

    /** The state of {@code param}, created on first use. */
    @SuppressWarnings("unchecked")
    protected <S> S state(Tensor param, Supplier<S> create) {
        return (S) state.computeIfAbsent(param, k -> create.get());
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
