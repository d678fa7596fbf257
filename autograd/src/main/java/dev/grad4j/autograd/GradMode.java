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
        return new Scope(false, false, "GradMode.noGrad()");
    }

    /** A scope in which ops record again (e.g. inside a {@link #noGrad()} block). */
    public static Scope enableGrad() {
        return new Scope(true, false, "GradMode.enableGrad()");
    }

    /** A scope with grad recording {@code enabled}. */
    public static Scope set(boolean enabled) {
        return new Scope(enabled, false, "GradMode.set(" + enabled + ")");
    }

    static Scope setAnomaly(boolean enabled) {
        return new Scope(enabled, true, enabled ? "AnomalyMode.enable()" : "AnomalyMode.disable()");
    }

    /**
     * A try-with-resources scope; closing restores the mode it replaced. Scopes close innermost
     * first, on the thread that opened them: anything else throws, naming both scopes, and changes
     * nothing ({@link dev.grad4j.api.Scope}).
     */
    public static final class Scope extends dev.grad4j.api.Scope {
        private final State state;
        private final boolean previous;
        private final boolean anomalyFlag;
        private final String description;

        private Scope(boolean enabled, boolean anomalyFlag, String description) {
            State s = STATE.get();
            this.state = s;
            this.anomalyFlag = anomalyFlag;
            this.description = description;
            if (anomalyFlag) {
                this.previous = s.anomaly;
                s.anomaly = enabled;
            } else {
                this.previous = s.gradEnabled;
                s.gradEnabled = enabled;
            }
        }

        @Override
        protected void restore() {
            if (anomalyFlag) {
                state.anomaly = previous;
            } else {
                state.gradEnabled = previous;
            }
        }

        @Override
        protected String describe() {
            return description;
        }
    }
}
