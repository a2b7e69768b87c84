package dev.jgrad.optim;

import dev.jgrad.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): p ← p · (1 − lr · λ) before the Adam
 * update; PyTorch's default λ is 0.01.
 * <pre>{@code
 * AdamW opt = new AdamW(model.parameters(), 1e-3);
 * opt.step();
 * }</pre>
 */
public class AdamW extends Adam {
    public AdamW(List<? extends Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false, false);
    }

    public AdamW(List<? extends Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                 boolean amsgrad, boolean maximize) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, true);
    }
}
