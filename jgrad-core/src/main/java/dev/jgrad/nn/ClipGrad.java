package dev.jgrad.nn;

import dev.jgrad.DType;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, as {@code torch.nn.utils.clip_grad_norm_}: the total norm of all gradients
 * (each gradient's p-norm, then the p-norm of those), and every gradient multiplied in place by
 * {@code min(1, maxNorm / (total + 1e-6))} in the gradients' precision. Parameters without a
 * gradient are skipped.
 * <pre>{@code
 * loss.backward();
 * double norm = ClipGrad.clipGradNorm_(model.parameters(), 1.0).item();
 * optimizer.step();
 * }</pre>
 */
public final class ClipGrad {
    private ClipGrad() {
    }

    /** Clips to {@code maxNorm} in the 2-norm; returns the total norm before clipping. */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2.0, false);
    }

    /**
     * Clips to {@code maxNorm} in the {@code normType}-norm ({@code Double.POSITIVE_INFINITY}: the
     * largest absolute value); with {@code errorIfNonfinite}, a NaN or infinite total norm is an error
     * and nothing is changed. Returns the total norm (0-d, in the first gradient's dtype).
     */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm, double normType, boolean errorIfNonfinite) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters) {
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        if (grads.isEmpty()) {
            return Jgrad.tensor(0.0);
        }
        DType dt = grads.get(0).dtype();
        boolean inf = normType == Double.POSITIVE_INFINITY;
        double[] norms = new double[grads.size()];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = round(norm(grads.get(i).toDoubleArray(), normType, inf), grads.get(i).dtype());
        }
        double total = round(norm(norms, normType, inf), dt);
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("The total norm of order " + dev.jgrad.PyFormat.repr(normType) + " for gradients from "
                    + "`parameters` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the "
                    + "non-finite norm anyway, set `error_if_nonfinite=False`");
        }
        double coef;
        if (dt == DType.FLOAT32) {
            float c = (float) maxNorm / ((float) total + 1e-6f);
            coef = Math.min(c, 1.0f);
        } else {
            coef = Math.min(maxNorm / (total + 1e-6), 1.0);
        }
        try (var scope = Jgrad.noGrad()) {
            for (Tensor g : grads) {
                g.mul_(Tensor.scalar(coef, g.dtype()));
            }
        }
        return Tensor.scalar(total, dt);
    }

    private static double norm(double[] v, double p, boolean inf) {
        if (inf) {
            double m = 0;
            for (double x : v) {
                m = Double.isNaN(x) || Double.isNaN(m) ? Double.NaN : Math.max(m, Math.abs(x));
            }
            return m;
        }
        double s = 0;
        if (p == 2) {
            for (double x : v) {
                s += x * x;
            }
            return Math.sqrt(s);
        }
        if (p == 1) {
            for (double x : v) {
                s += Math.abs(x);
            }
            return s;
        }
        for (double x : v) {
            s += Math.pow(Math.abs(x), p);
        }
        return Math.pow(s, 1 / p);
    }

    private static double round(double v, DType dt) {
        return dt == DType.FLOAT32 ? (float) v : v;
    }
}
