package dev.jgrad.autograd;

/**
 * The autograd state of one thread: grad mode and the sequence number of the next node, kept
 * together so that recording an op reads one thread-local. As in PyTorch, sequence numbers count
 * per thread (a shared atomic counter would fence every op).
 */
final class ThreadState {
    private static final ThreadLocal<ThreadState> CURRENT = ThreadLocal.withInitial(ThreadState::new);

    boolean gradEnabled = true;
    private long nextSequenceNr;

    static ThreadState get() {
        return CURRENT.get();
    }

    long nextSequenceNr() {
        return nextSequenceNr++;
    }
}
