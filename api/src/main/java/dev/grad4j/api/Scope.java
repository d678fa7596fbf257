package dev.grad4j.api;

import java.util.ArrayDeque;

/**
 * A per-thread setting that try-with-resources opens and closes: grad mode, anomaly mode, the
 * defaults scope. Every scope open on a thread is on one stack, innermost on top, so closing
 * them out of order cannot silently leave the thread in the wrong mode:
 *
 * <pre>{@code
 * var outer = GradMode.noGrad();
 * var inner = GradMode.enableGrad();
 * outer.close();   // IllegalStateException: GradMode.noGrad() closed while GradMode.enableGrad(),
 *                  // opened after it, is still open; nothing was changed
 * }</pre>
 *
 * A refused close changes nothing, so closing in the right order afterwards still restores every
 * setting. Closing twice is harmless. A scope must be closed on the thread that opened it.
 *
 * <p>Subclasses apply their setting before calling this constructor's {@code super()} returns
 * (the constructor only registers the scope) and undo it in {@link #restore()}.
 */
public abstract class Scope implements AutoCloseable {

    private static final ThreadLocal<ArrayDeque<Scope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final Thread owner;
    private boolean closed;

    /** Registers this scope as the innermost one open on the current thread. */
    protected Scope() {
        this.owner = Thread.currentThread();
        OPEN.get().push(this);
    }

    /** Undoes this scope's setting; called once, by {@link #close()}, when the scope is innermost. */
    protected abstract void restore();

    /** What the user opened, as they wrote it, e.g. {@code GradMode.noGrad()} or {@code using(simd)}. */
    protected abstract String describe();

    /** True if this scope is open and the innermost open scope of this thread. */
    protected final boolean isInnermost() {
        return !closed && Thread.currentThread() == owner && OPEN.get().peek() == this;
    }

    /** Throws unless this scope is open and innermost: for settings changed after the scope was opened. */
    protected final void checkInnermost(String what) {
        if (closed) {
            throw new IllegalStateException(what + " on " + describe() + ", which is already closed");
        }
        checkThread();
        Scope top = OPEN.get().peek();
        if (top != this) {
            throw new IllegalStateException(what + " on " + describe() + " while " + top.describe()
                    + ", opened after it, is still open; change the innermost scope");
        }
    }

    /**
     * Restores the setting this scope replaced.
     *
     * @throws IllegalStateException (changing nothing) when another scope opened after this one is
     *                               still open (naming both), or on another thread
     */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        checkThread();
        ArrayDeque<Scope> open = OPEN.get();
        Scope top = open.peek();
        if (top != this) {
            throw new IllegalStateException(describe() + " closed while " + top.describe() + ", opened after it, is "
                    + "still open; nothing was changed. Close " + top.describe() + " first (try-with-resources closes "
                    + "scopes in the right order)");
        }
        open.pop();
        closed = true;
        restore();
    }

    private void checkThread() {
        Thread t = Thread.currentThread();
        if (t != owner) {
            throw new IllegalStateException(describe() + " must be closed on the thread that opened it ("
                    + owner.getName() + "), not on " + t.getName());
        }
    }

    @Override
    public String toString() {
        return describe() + (closed ? " (closed)" : "");
    }
}
