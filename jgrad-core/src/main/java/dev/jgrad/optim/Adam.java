package dev.jgrad.optim;

import static dev.jgrad.optim.Optimizer.fma;
import static dev.jgrad.optim.Optimizer.round;

import dev.jgrad.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with PyTorch's exact update order: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε); optional L2 weight decay (added to the
 * gradient), amsgrad and maximize. {@link AdamW} decouples the weight decay.
 * <pre>{@code
 * Adam opt = new Adam(model.parameters(), 0.01);
 * opt.zeroGrad(); loss.backward(); opt.step();
 * }</pre>
 */
public class Adam extends Optimizer {
    private final boolean decoupled;
    /** The scalars of the last (group options version, step count, precision), shared by its parameters. */
    private final Scalars scalars = new Scalars();

    /** What one step derives from a group's options, each rounded to the parameters' precision as PyTorch does. */
    private static final class Scalars {
        /** {@link ParamGroup#version()}: identifies the group and the state of its options. */
        long version;
        int step = -1;
        boolean f32;
        boolean amsgrad;
        boolean maximize;
        double wd;
        double fb1;
        double f1b1;
        double fb2;
        double f1b2;
        double fbc2;
        double feps;
        double fstep;
        double fwd;
        double fdecay;
    }

    public Adam(List<? extends Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false, false);
    }

    public Adam(List<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad, boolean maximize) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, false);
    }

    Adam(List<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
         boolean amsgrad, boolean maximize, boolean decoupled) {
        super(params, defaults(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize));
        this.decoupled = decoupled;
    }

    /**
     * The validated defaults, in PyTorch's order. Like PyTorch, the hyperparameters are checked
     * before the parameters (an empty list with a negative lr reports the lr).
     */
    private static Map<String, Double> defaults(double lr, double beta1, double beta2, double eps, double weightDecay,
                                                boolean amsgrad, boolean maximize) {
        checkNonNegative("learning rate", lr);
        checkNonNegative("epsilon value", eps);
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 0: " + dev.jgrad.PyFormat.repr(beta1));
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 1: " + dev.jgrad.PyFormat.repr(beta2));
        }
        checkNonNegative("weight_decay value", weightDecay);
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("beta1", beta1);
        d.put("beta2", beta2);
        d.put("eps", eps);
        d.put("weight_decay", weightDecay);
        d.put("amsgrad", amsgrad ? 1.0 : 0.0);
        d.put("maximize", maximize ? 1.0 : 0.0);
        return d;
    }

    /**
     * Step count and moment estimates of one parameter. For a float32 parameter the moments are
     * kept as float arrays (the values PyTorch keeps); the accessors return them widened.
     */
    public static final class State {
        int step;
        double[] expAvg;
        double[] expAvgSq;
        double[] maxExpAvgSq;
        float[] expAvgF;
        float[] expAvgSqF;
        float[] maxExpAvgSqF;

        /** Number of steps taken. */
        public int step() {
            return step;
        }

        /** The first moment estimate m (a copy). */
        public double[] expAvg() {
            return expAvgF != null ? widen(expAvgF) : expAvg.clone();
        }

        /** The second moment estimate v (a copy). */
        public double[] expAvgSq() {
            return expAvgSqF != null ? widen(expAvgSqF) : expAvgSq.clone();
        }

        /** The running maximum of v for amsgrad (a copy), or null without amsgrad. */
        public double[] maxExpAvgSq() {
            if (maxExpAvgSqF != null) {
                return widen(maxExpAvgSqF);
            }
            return maxExpAvgSq == null ? null : maxExpAvgSq.clone();
        }

        /** Moves the moments to float arrays (exact: they hold float32 values). */
        void toFloats() {
            if (expAvgF == null) {
                expAvgF = narrow(expAvg);
                expAvgSqF = narrow(expAvgSq);
                maxExpAvgSqF = maxExpAvgSq == null ? null : narrow(maxExpAvgSq);
                expAvg = null;
                expAvgSq = null;
                maxExpAvgSq = null;
            }
        }

        /** Moves the moments to double arrays. */
        void toDoubles() {
            if (expAvgF != null) {
                expAvg = widen(expAvgF);
                expAvgSq = widen(expAvgSqF);
                maxExpAvgSq = maxExpAvgSqF == null ? null : widen(maxExpAvgSqF);
                expAvgF = null;
                expAvgSqF = null;
                maxExpAvgSqF = null;
            }
        }

        private static double[] widen(float[] f) {
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }

        private static float[] narrow(double[] d) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
    }

    @Override
    protected java.util.Map<String, Tensor> saveState(Object state, Tensor param) {
        State s = (State) state;
        java.util.Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        out.put("step", Tensor.scalar(s.step, dev.jgrad.DType.FLOAT32)); // a float tensor in PyTorch 1.13
        out.put("exp_avg", asTensor(s.expAvg(), param));
        out.put("exp_avg_sq", asTensor(s.expAvgSq(), param));
        double[] max = s.maxExpAvgSq();
        if (max != null) {
            out.put("max_exp_avg_sq", asTensor(max, param));
        }
        return out;
    }

    @Override
    protected Object loadState(java.util.Map<String, Tensor> entries, Tensor param) {
        State s = new State();
        s.step = (int) entry(entries, "step")[0];
        s.expAvg = entry(entries, "exp_avg");
        s.expAvgSq = entry(entries, "exp_avg_sq");
        s.maxExpAvgSq = entries.containsKey("max_exp_avg_sq") ? entry(entries, "max_exp_avg_sq") : null;
        return s;
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad) {
        boolean f32 = isFloat32(param);
        // fused single pass over float32 arrays when parameter and gradient are contiguous: no copies
        boolean direct = f32 && grad.dtype() == dev.jgrad.DType.FLOAT32 && param.isContiguous() && grad.isContiguous();
        double[] g = direct ? null : Buffers.values(grad);
        int n = param.numel();
        State st = (State) stateOrNull(param);
        if (st == null) {
            st = new State();
            st.expAvg = new double[n];
            st.expAvgSq = new double[n];
            if (group.flag("amsgrad")) {
                st.maxExpAvgSq = new double[n];
            }
            putState(param, st);
        }
        st.step++;
        Scalars sc = scalars;
        if (sc.step != st.step || sc.version != group.version() || sc.f32 != f32) {
            derive(sc, group, st.step, f32);
        }
        boolean amsgrad = sc.amsgrad;
        boolean maximize = sc.maximize;
        double wd = sc.wd;
        double fb1 = sc.fb1;
        double f1b1 = sc.f1b1;
        double fb2 = sc.fb2;
        double f1b2 = sc.f1b2;
        double fbc2 = sc.fbc2;
        double feps = sc.feps;
        double fstep = sc.fstep;
        double fwd = sc.fwd;
        double fdecay = sc.fdecay;
        if (direct) {
            st.toFloats();
            float[] pf = param.storage().floats();
            float[] gf = grad.storage().floats();
            int po = param.storageOffset();
            int go = grad.storageOffset();
            if (!decoupled && wd == 0 && !maximize && !amsgrad) {
                dev.jgrad.kernel.OptimKernels.get().adam(n, pf, po, gf, go, st.expAvgF, st.expAvgSqF, (float) fb1,
                        (float) f1b1, (float) fb2, (float) f1b2, (float) fbc2, (float) feps, (float) fstep);
            } else {
                updateFloatsWithOptions(n, pf, po, gf, go, st, (float) fb1, (float) f1b1, (float) fb2, (float) f1b2,
                        (float) fbc2, (float) feps, (float) fstep, (float) fwd, (float) fdecay, decoupled, wd != 0,
                        maximize, amsgrad);
            }
        } else {
            st.toDoubles();
            int[] po = Buffers.offsets(param);
            for (int i = 0; i < n; i++) {
                double p = Buffers.get(param, po, i);
                double gi = maximize ? -g[i] : g[i];
                if (decoupled) {
                    p = round(p * fdecay, f32); // param.mul_(1 - lr * weight_decay)
                } else if (wd != 0) {
                    gi = fma(fwd, p, gi, f32); // grad.add(param, alpha=weight_decay)
                }
                // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
                double m = fma(f1b1, gi, round(st.expAvg[i] * fb1, f32), f32);
                // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2): self + (value · t1) · t2
                double v = fma(round(f1b2 * gi, f32), gi, round(st.expAvgSq[i] * fb2, f32), f32);
                st.expAvg[i] = m;
                st.expAvgSq[i] = v;
                double vHat = v;
                if (amsgrad) {
                    st.maxExpAvgSq[i] = Math.max(st.maxExpAvgSq[i], v);
                    vHat = st.maxExpAvgSq[i];
                }
                // (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                double denom = round(round(round(Math.sqrt(vHat), f32) / fbc2, f32) + feps, f32);
                // param.addcdiv_(exp_avg, denom, value=-step_size): self + (value · t1) / t2, no FMA possible
                p = round(p + round(round(fstep * m, f32) / denom, f32), f32);
                Buffers.set(param, po, i, p);
            }
        }
        // as PyTorch's in-place updates do: param.mul_ (AdamW only), then param.addcdiv_
        if (decoupled) {
            param.storage().bumpVersion();
        }
        param.storage().bumpVersion();
    }

    /** Fills {@code sc} for {@code group}'s options at step count {@code step}. */
    private static void derive(Scalars sc, ParamGroup group, int step, boolean f32) {
        double lr = group.get("lr");
        double beta1 = group.get("beta1");
        double beta2 = group.get("beta2");
        double eps = group.get("eps");
        double wd = group.get("weight_decay");
        // scalars in double as Python computes them, then rounded to the tensor's precision
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / bc1;
        double bc2Sqrt = Math.sqrt(bc2);
        sc.version = group.version();
        sc.step = step;
        sc.f32 = f32;
        sc.amsgrad = group.flag("amsgrad");
        sc.maximize = group.flag("maximize");
        sc.wd = wd;
        sc.fb1 = round(beta1, f32);
        sc.f1b1 = round(1 - beta1, f32);
        sc.fb2 = round(beta2, f32);
        sc.f1b2 = round(1 - beta2, f32);
        sc.fbc2 = round(bc2Sqrt, f32);
        sc.feps = round(eps, f32);
        sc.fstep = round(-stepSize, f32);
        sc.fwd = round(wd, f32);
        sc.fdecay = round(1 - lr * wd, f32);
    }

    /** The float32 update with weight decay, decoupled decay (AdamW), maximize or amsgrad. */
    private static void updateFloatsWithOptions(int n, float[] p, int po, float[] g, int go, State st, float b1,
                                                float oneMinusB1, float b2, float oneMinusB2, float bc2Sqrt, float eps,
                                                float negStep, float wd, float decay, boolean decoupled, boolean l2,
                                                boolean maximize, boolean amsgrad) {
        float[] m = st.expAvgF;
        float[] v = st.expAvgSqF;
        float[] vmax = st.maxExpAvgSqF;
        for (int i = 0; i < n; i++) {
            float pi = p[po + i];
            float gi = maximize ? -g[go + i] : g[go + i];
            if (decoupled) {
                pi = pi * decay; // param.mul_(1 - lr * weight_decay)
            } else if (l2) {
                gi = Math.fma(wd, pi, gi); // grad.add(param, alpha=weight_decay)
            }
            float mi = Math.fma(oneMinusB1, gi, m[i] * b1);
            float vi = Math.fma(oneMinusB2 * gi, gi, v[i] * b2);
            m[i] = mi;
            v[i] = vi;
            float vHat = vi;
            if (amsgrad) {
                vmax[i] = Math.max(vmax[i], vi);
                vHat = vmax[i];
            }
            float denom = (float) Math.sqrt(vHat) / bc2Sqrt + eps;
            p[po + i] = pi + (negStep * mi) / denom;
        }
    }
}
