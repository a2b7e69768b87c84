package dev.jgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.DType;
import dev.jgrad.Generator;
import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import dev.jgrad.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adam's fused single pass over float32 arrays (taken for contiguous parameters) against the
 * general element loop (taken for strided ones), with every option: the same bits.
 */
class AdamFusedTest {
    private static double[] run(boolean contiguous, String variant) {
        Generator g = new Generator(11);
        Tensor init = Jgrad.randn(g, 9, 33);
        Parameter p;
        if (contiguous) {
            p = new Parameter(init.clone());
        } else {
            // the same values behind a transposed view: not contiguous, so the general loop runs
            p = new Parameter(init.t().contiguous().t());
        }
        assertThat(p.isContiguous()).isEqualTo(contiguous);
        Optimizer opt;
        switch (variant) {
            case "default": opt = new Adam(List.of(p), 1e-2); break;
            case "l2": opt = new Adam(List.of(p), 1e-2, 0.8, 0.95, 1e-6, 0.1, false, false); break;
            case "amsgrad-maximize": opt = new Adam(List.of(p), 1e-2, 0.9, 0.999, 1e-8, 0, true, true); break;
            default: opt = new AdamW(List.of(p), 1e-2, 0.9, 0.999, 1e-8, 0.05, false, false); break;
        }
        for (int step = 0; step < 5; step++) {
            Tensor grad = Jgrad.randn(g, 9, 33).mul(step % 2 == 0 ? 1e-3 : 10.0);
            p.setGrad(grad);
            opt.step();
        }
        assertThat(p.dtype()).isEqualTo(DType.FLOAT32);
        return p.toDoubleArray();
    }

    @Test
    void fusedFloat32PassEqualsTheGeneralLoopBitForBit() {
        for (String variant : new String[] {"default", "l2", "amsgrad-maximize", "adamw"}) {
            double[] fused = run(true, variant);
            double[] general = run(false, variant);
            assertThat(fused).as(variant).isEqualTo(general);
            assertThat(fused).as(variant + ": the parameters moved").isNotEqualTo(Jgrad.randn(new Generator(11), 9, 33).toDoubleArray());
        }
    }
}
