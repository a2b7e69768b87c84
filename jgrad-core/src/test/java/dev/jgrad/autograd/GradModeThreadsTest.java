package dev.jgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Grad mode and recording are per thread, also while threads take turns (ThreadState's cache of the last one). */
class GradModeThreadsTest {
    @Test
    void eachThreadKeepsItsOwnGradModeWhileTheyAlternate() throws Exception {
        CyclicBarrier turn = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> noGrad = pool.submit(() -> alternate(turn, false));
            Future<?> withGrad = pool.submit(() -> alternate(turn, true));
            noGrad.get();
            withGrad.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(GradMode.isEnabled()).isTrue();
    }

    /** Many rounds in lockstep with the other thread, each checking its own mode and what gets recorded. */
    private static Void alternate(CyclicBarrier turn, boolean enabled) throws Exception {
        Tensor w = Jgrad.tensor(new double[] {1.0, 2.0}).requiresGrad_(true);
        try (var scope = enabled ? GradMode.enableGrad() : GradMode.noGrad()) {
            for (int round = 0; round < 200; round++) {
                turn.await();
                assertThat(GradMode.isEnabled()).isEqualTo(enabled);
                Tensor y = w.mul(w).sum();
                assertThat(y.requiresGrad()).as("round %d", round).isEqualTo(enabled);
                if (enabled) {
                    w.setGrad(null);
                    y.backward();
                    assertThat(w.grad().toDoubleArray()).containsExactly(2.0, 4.0);
                }
            }
        }
        return null;
    }
}
