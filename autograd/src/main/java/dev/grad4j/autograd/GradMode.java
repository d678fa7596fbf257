package dev.grad4j.autograd;

/**
 * Whether ops record a graph, per thread. Scopes restore the previous state when closed, also
 * when the body throws, so a mode never leaks to the next task on a pooled thread:
 *
 * <pre>{@code
 * try (var s = GradMode.noGrad()) {
 *     w.data().addInPlace(w.grad(), -lr);   // not recorded
 * }
 * }</pre>
 *
 * A mode set in one thread is never seen by another: new threads start with grad enabled.
 */
public final class GradMode {

    private GradMode() {
    }

    /** Per-thread flags, one ThreadLocal read per op. */
    static final class State {
        boolean gradEnabled = true;
        boolean anomaly;
    }

    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    static State state() {
        return STATE.get();
    }

    /** True if ops on this thread record the graph. */
    public static boolean isEnabled() {
        return STATE.get().gradEnabled;
    }

    /** A scope in which no op records a graph; restores the previous mode on close. */
    public static Scope noGrad() {
        return set(false);
    }

    /** A scope in which ops record again (e.g. inside a {@link #noGrad()} block). */
    public static Scope enableGrad() {
        return set(true);
    }

    /** A scope with grad recording {@code enabled}. */
    public static Scope set(boolean enabled) {
        State s = STATE.get();
        boolean previous = s.gradEnabled;
        s.gradEnabled = enabled;
        return new Scope(s, previous, false);
    }

    static Scope setAnomaly(boolean enabled) {
        State s = STATE.get();
        boolean previous = s.anomaly;
        s.anomaly = enabled;
        return new Scope(s, previous, true);
    }

    /** A try-with-resources scope; closing restores the mode it replaced. Close it on the thread that opened it. */
    public static final class Scope implements AutoCloseable {
        private final State state;
        private final boolean previous;
        private final boolean anomalyFlag;
        private boolean closed;

        private Scope(State state, boolean previous, boolean anomalyFlag) {
            this.state = state;
            this.previous = previous;
            this.anomalyFlag = anomalyFlag;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (STATE.get() != state) {
                throw new IllegalStateException("a GradMode scope must be closed on the thread that opened it");
            }
            closed = true;
            if (anomalyFlag) {
                state.anomaly = previous;
            } else {
                state.gradEnabled = previous;
            }
        }
    }
}
