package dev.jgrad.optim;

import static dev.jgrad.optim.Optimizer.fma;
import static dev.jgrad.optim.Optimizer.round;

import dev.jgrad.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's options and update order: weight decay, momentum
 * (the first buffer is the gradient itself), dampening, Nesterov and maximize.
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), 0.1, 0.9, 0, 0, false, false);
 * opt.step();
 * }</pre>
 */
public class SGD extends Optimizer {
    /** SGD with only a learning rate. */
    public SGD(List<? extends Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false, false);
    }

    public SGD(List<? extends Tensor> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov, boolean maximize) {
        super(params, defaults(lr, momentum, dampening, weightDecay, nesterov, maximize));
    }

    /**
     * The validated defaults, in PyTorch's order. Like PyTorch, the hyperparameters are checked
     * before the parameters (an empty list with a negative lr reports the lr).
     */
    private static Map<String, Double> defaults(double lr, double momentum, double dampening, double weightDecay,
                                                boolean nesterov, boolean maximize) {
        // SGD tests `x < 0.0` (Adam tests `not 0.0 <= x`): NaN passes here
        rejectNegative("learning rate", lr);
        rejectNegative("momentum value", momentum);
        rejectNegative("weight_decay value", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("momentum", momentum);
        d.put("dampening", dampening);
        d.put("weight_decay", weightDecay);
        d.put("nesterov", nesterov ? 1.0 : 0.0);
        d.put("maximize", maximize ? 1.0 : 0.0);
        return d;
    }

    private static void rejectNegative(String what, double v) {
        if (v < 0) {
            throw new IllegalArgumentException("Invalid " + what + ": " + dev.jgrad.PyFormat.repr(v));
        }
    }

    /** The momentum buffer of one parameter. */
    public static final class State {
        double[] momentumBuffer;

        /** The momentum buffer (a copy), or null while momentum is 0 (PyTorch's None). */
        public double[] momentumBuffer() {
            return momentumBuffer == null ? null : momentumBuffer.clone();
        }
    }

    @Override
    protected java.util.Map<String, Tensor> saveState(Object state, Tensor param) {
        State s = (State) state;
        return s.momentumBuffer == null ? java.util.Map.of() : java.util.Map.of("momentum_buffer", asTensor(s.momentumBuffer, param));
    }

    @Override
    protected Object loadState(java.util.Map<String, Tensor> entries, Tensor param) {
        State s = new State();
        s.momentumBuffer = entry(entries, "momentum_buffer");
        return s;
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad) {
        double lr = group.get("lr");
        double momentum = group.get("momentum");
        double dampening = group.get("dampening");
        double wd = group.get("weight_decay");
        boolean nesterov = group.flag("nesterov");
        boolean maximize = group.flag("maximize");
        boolean f32 = isFloat32(param);
        State st = state(param, State::new);
        int[] po = Buffers.offsets(param);
        double[] g = Buffers.values(grad);
        boolean first = st.momentumBuffer == null;
        if (momentum != 0 && first) {
            st.momentumBuffer = new double[g.length];
        }
        double fm = round(momentum, f32);
        double fdamp = round(1 - dampening, f32);
        double fwd = round(wd, f32);
        double flr = round(-lr, f32);
        for (int i = 0; i < g.length; i++) {
            double p = Buffers.get(param, po, i);
            double d = maximize ? -g[i] : g[i];
            if (wd != 0) {
                d = fma(fwd, p, d, f32); // d_p.add(param, alpha=weight_decay)
            }
            if (momentum != 0) {
                double buf;
                if (first) {
                    buf = d;
                } else {
                    buf = round(st.momentumBuffer[i] * fm, f32); // buf.mul_(momentum)
                    buf = fma(fdamp, d, buf, f32); // .add_(d_p, alpha=1 - dampening)
                }
                st.momentumBuffer[i] = buf;
                d = nesterov ? fma(fm, buf, d, f32) : buf; // d_p.add(buf, alpha=momentum)
            }
            Buffers.set(param, po, i, fma(flr, d, p, f32)); // param.add_(d_p, alpha=-lr)
        }
        param.storage().bumpVersion(); // as param.add_ does
    }
}
