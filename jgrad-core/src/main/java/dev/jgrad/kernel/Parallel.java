package dev.jgrad.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The kernels' thread pool: a fixed number of daemon workers and a fixed partition of the work.
 * A parallel kernel splits its output into {@code parts} disjoint pieces by a rule that depends on
 * the shape and the thread count only, and each output element is computed by one thread with the
 * same arithmetic as on one thread: results are bit-identical for any thread count and from run
 * to run (never "whoever finishes first").
 *
 * <p>Internal: users call {@code Jgrad.setNumThreads}.
 */
public final class Parallel {
    /** A piece of parallel work: runs part {@code part} of {@code parts}. */
    public interface Body {
        void run(int part, int parts);
    }

    private static volatile int numThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final LinkedBlockingQueue<Runnable> QUEUE = new LinkedBlockingQueue<>();
    private static int started;

    private Parallel() {
    }

    /** The number of threads kernels use (as torch.get_num_threads). */
    public static int numThreads() {
        return numThreads;
    }

    /** Sets the number of threads kernels use (as torch.set_num_threads); at least 1. */
    public static void setNumThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("set_num_threads expects a positive integer, got " + n);
        }
        numThreads = n;
    }

    private static synchronized void ensureWorkers(int n) {
        while (started < n) {
            Thread t = new Thread(Parallel::work, "jgrad-kernel-" + started);
            t.setDaemon(true);
            t.start();
            started++;
        }
    }

    private static void work() {
        while (true) {
            try {
                QUEUE.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Runs {@code body} for parts 0..parts-1, part 0 on the calling thread and the others on
     * workers, and returns when all are done. Exceptions in a worker are rethrown here.
     */
    public static void run(int parts, Body body) {
        if (parts <= 1) {
            body.run(0, 1);
            return;
        }
        ensureWorkers(parts - 1);
        CountDownLatch done = new CountDownLatch(parts - 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int p = 1; p < parts; p++) {
            int part = p;
            QUEUE.add(() -> {
                try {
                    body.run(part, parts);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            body.run(0, parts);
        } finally {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }
}
