package dev.jgrad.kernel;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kernels' thread pool: a fixed number of daemon workers and a fixed partition of the work.
 * A parallel kernel splits its output into {@code parts} disjoint pieces by a rule that depends on
 * the shape and the thread count only, and each output element is computed by one thread with the
 * same arithmetic as on one thread: results are bit-identical for any thread count and from run
 * to run (never "whoever finishes first").
 *
 * <p>Hand-off is cheap because kernels of one training step follow each other closely: a worker
 * that finishes spins briefly for the next piece before it parks, and the caller, after its own
 * piece, spins briefly for the workers before it parks. One parallel region runs at a time; a
 * caller that finds the pool busy (another thread, or a nested call) runs all parts itself.
 *
 * <p>Internal: users call {@code Jgrad.setNumThreads}.
 */
public final class Parallel {
    /** A piece of parallel work: runs part {@code part} of {@code parts}. */
    public interface Body {
        void run(int part, int parts);
    }

    /** How long a worker spins for its next piece before parking, and the caller for the workers. */
    private static final long SPIN_NANOS = 50_000;

    private static volatile int numThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ReentrantLock POOL = new ReentrantLock();
    private static Worker[] workers = new Worker[0];

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

    private static final class Worker extends Thread {
        volatile Body task;
        volatile boolean done = true;
        volatile Thread caller;
        int part;
        int parts;
        Throwable failure;

        Worker(int index) {
            super("jgrad-kernel-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Body b = task;
                if (b == null) {
                    long start = System.nanoTime();
                    while ((b = task) == null && System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    }
                    while ((b = task) == null) {
                        LockSupport.park(this);
                    }
                }
                try {
                    b.run(part, parts);
                } catch (Throwable e) {
                    failure = e;
                }
                task = null;
                done = true;
                LockSupport.unpark(caller);
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
        if (!POOL.tryLock()) {
            for (int p = 0; p < parts; p++) {
                body.run(p, parts);
            }
            return;
        }
        try {
            if (workers.length < parts - 1) {
                Worker[] more = java.util.Arrays.copyOf(workers, parts - 1);
                for (int i = workers.length; i < more.length; i++) {
                    more[i] = new Worker(i);
                    more[i].start();
                }
                workers = more;
            }
            Thread me = Thread.currentThread();
            for (int p = 1; p < parts; p++) {
                Worker w = workers[p - 1];
                w.part = p;
                w.parts = parts;
                w.failure = null;
                w.caller = me;
                w.done = false;
                w.task = body; // publishes the fields above
                LockSupport.unpark(w);
            }
            Throwable failure = null;
            try {
                body.run(0, parts);
            } catch (Throwable e) {
                failure = e;
            }
            for (int p = 1; p < parts; p++) {
                Worker w = workers[p - 1];
                long start = System.nanoTime();
                while (!w.done && System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                }
                while (!w.done) {
                    LockSupport.parkNanos(w, 100_000);
                }
                if (failure == null) {
                    failure = w.failure;
                }
            }
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            POOL.unlock();
        }
    }
}
