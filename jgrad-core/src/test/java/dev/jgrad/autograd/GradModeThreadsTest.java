package dev.jgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jgrad.Jgrad;
import dev.jgrad.Tensor;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Grad mode and recording are per thread, also while threads take turns (ThreadState's cache of the
 * last one); and a graph built on two threads, whose per-thread sequence numbers need not grow along
 * its edges, still backpropagates correctly (the engine's heap order instead of its sorted one).
 */
class GradModeThreadsTest {
    @Test
    void eachThreadKeepsItsOwnGradModeWhileTheyAlternate() throws Exception {
        CyclicBarrier turn = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> noGrad = pool.submit(() -> alternate(turn, false));
            Future<?> withGrad = pool.submit(() -> alternate(turn, true));
            // a side that fails breaks the barrier, so the other ends too; report the first real failure
            for (Future<?> f : java.util.List.of(withGrad, noGrad)) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof java.util.concurrent.BrokenBarrierException)) {
                        throw e;
                    }
                }
            }
            assertThat(noGrad.isDone() && withGrad.isDone()).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(GradMode.isEnabled()).isTrue();
    }

    /** Many rounds in lockstep with the other thread, each checking its own mode and what gets recorded. */
    private static Void alternate(CyclicBarrier turn, boolean enabled) throws Exception {
        Tensor w = Jgrad.tensor(new double[] {1.0, 2.0}).requiresGrad_(true);
        try (var scope = enabled ? GradMode.enableGrad() : GradMode.noGrad()) {
            rounds(turn, enabled, w);
        } catch (Exception | AssertionError e) {
            turn.reset(); // the other side's await throws BrokenBarrierException instead of waiting forever
            throw e;
        }
        return null;
    }

    private static void rounds(CyclicBarrier turn, boolean enabled, Tensor w) throws Exception {
        {
            for (int round = 0; round < 200; round++) {
                turn.await(30, java.util.concurrent.TimeUnit.SECONDS);
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
    }

    @Test
    void aGraphBuiltOnTwoThreadsGetsTheGradientsOfOneBuiltOnOne() throws Exception {
        double[] expected = gradientsOfSharedGraph(false);
        double[] got = gradientsOfSharedGraph(true);
        assertThat(got).containsExactly(expected);
    }

    /**
     * x → (many ops on a thread that has recorded a lot, so its sequence numbers are high) → h, then
     * h → y on a new thread whose numbers start low: y's nodes are younger but numbered below h's.
     */
    private static double[] gradientsOfSharedGraph(boolean twoThreads) throws Exception {
        Tensor x = Jgrad.tensor(new double[] {0.5, -1.5, 2.0}).requiresGrad_(true);
        Tensor[] h = new Tensor[1];
        Runnable first = () -> {
            Tensor t = x;
            for (int i = 0; i < 50; i++) {
                t = t.mul(1.01).add(0.001);
            }
            h[0] = t;
        };
        java.util.function.Supplier<Tensor> second = () -> h[0].mul(h[0]).add(h[0].exp()).sum();
        Tensor y;
        if (twoThreads) {
            ExecutorService a = Executors.newSingleThreadExecutor();
            ExecutorService b = Executors.newSingleThreadExecutor();
            try {
                a.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        Jgrad.tensor(new double[] {1}).requiresGrad_(true).mul(2.0); // advance this thread's numbers
                    }
                    first.run();
                }).get();
                y = b.submit(second::get).get();
            } finally {
                a.shutdownNow();
                b.shutdownNow();
            }
        } else {
            first.run();
            y = second.get();
        }
        y.backward();
        return x.grad().toDoubleArray();
    }
}
