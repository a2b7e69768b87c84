package dev.jgrad.autograd;

/**
 * The autograd state of one thread: grad mode and the sequence number of the next node, kept
 * together so that recording an op reads one thread-local. As in PyTorch, sequence numbers count
 * per thread (a shared atomic counter would fence every op).
 *
 * <p>The state last looked up is also kept in a plain static field with its owner thread: while one
 * thread builds graphs (the usual case) a lookup is a comparison with {@code Thread.currentThread()}
 * instead of a thread-local hash probe. Another thread finds a foreign owner and takes the
 * thread-local; the fields of a state are only ever touched by its owner.
 */
final class ThreadState {
    private static final ThreadLocal<ThreadState> CURRENT = ThreadLocal.withInitial(ThreadState::new);
    /**
     * The state most recently looked up, always one that {@link #CURRENT} holds (racy by design: any
     * thread may replace it; owner is final). It keeps at most one finished thread reachable.
     */
    private static ThreadState last = CURRENT.get();

    private final Thread owner = Thread.currentThread();
    boolean gradEnabled = true;
    private long nextSequenceNr;
    /** Fused forwards and backward products run on this thread ({@link Fusion}'s counts, for tests). */
    long fusedForwards;
    long fusedBackwards;

    static ThreadState get() {
        ThreadState s = last;
        if (s.owner == Thread.currentThread()) {
            return s;
        }
        s = CURRENT.get();
        last = s;
        return s;
    }

    long nextSequenceNr() {
        return nextSequenceNr++;
    }
}
