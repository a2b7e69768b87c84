package dev.jgrad.autograd;

/**
 * Whether operations record the autograd graph on this thread (PyTorch's grad mode).
 *
 * <p>Use {@link #noGrad()} as a try-with-resources scope, like {@code with torch.no_grad():}.
 * <pre>{@code
 * try (var g = GradMode.noGrad()) { w.sub_(w.grad().mul(0.1)); }
 * }</pre>
 */
public final class GradMode {
    private GradMode() {
    }

    public static boolean isEnabled() {
        return ThreadState.get().gradEnabled;
    }

    /** Sets grad mode and returns the previous value. */
    public static boolean set(boolean enabled) {
        ThreadState state = ThreadState.get();
        boolean previous = state.gradEnabled;
        state.gradEnabled = enabled;
        return previous;
    }

    /** A scope in which no graph is recorded; closing it restores the previous mode. */
    public static Scope noGrad() {
        return new Scope(set(false));
    }

    /** A scope in which the graph is recorded even inside a no-grad scope. */
    public static Scope enableGrad() {
        return new Scope(set(true));
    }

    /** Restores the previous grad mode when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;
        private boolean closed;

        Scope(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                set(previous);
            }
        }
    }
}
