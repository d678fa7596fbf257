package dev.grad4j.autograd;

/**
 * Anomaly detection, a per-thread scope like {@link GradMode}: while enabled, every op records
 * where the user created it, and the first NaN or Inf produced by an op's forward or backward
 * raises an {@link AnomalyException} naming the op and that call site. When disabled it costs one
 * flag check per op.
 *
 * <pre>{@code
 * try (var s = AnomalyMode.enable()) {
 *     loss.backward();   // throws at the first op whose gradient turns NaN
 * }
 * }</pre>
 */
public final class AnomalyMode {

    private AnomalyMode() {
    }

    /** A scope with anomaly detection on; restores the previous setting on close. */
    public static GradMode.Scope enable() {
        return GradMode.setAnomaly(true);
    }

    /** A scope with anomaly detection off. */
    public static GradMode.Scope disable() {
        return GradMode.setAnomaly(false);
    }

    public static boolean isEnabled() {
        return GradMode.state().anomaly;
    }

    /**
     * A scope inside which recorded ops are reported as made {@code in where}: layers open one
     * around their forward while anomaly mode is on, so a report reads
     * {@code the op was created in layer 2 (Linear) of Sequential, at Train.main(Train.java:42)}.
     */
    public static dev.grad4j.api.Scope context(String where) {
        return new Context(java.util.Objects.requireNonNull(where, "where"));
    }

    private static final class Context extends dev.grad4j.api.Scope {
        private final String where;

        Context(String where) {
            this.where = where;
            CallSite.pushContext(where);
        }

        @Override
        protected void restore() {
            CallSite.popContext();
        }

        @Override
        protected String describe() {
            return "AnomalyMode.context(" + where + ")";
        }
    }
}
