package dev.grad4j.autograd;

/** Returned by {@link Variable#registerHook}; {@link #remove()} (or closing it) unregisters the hook. */
public interface HookHandle extends AutoCloseable {

    /** Unregisters the hook; calling it again does nothing. */
    void remove();

    @Override
    default void close() {
        remove();
    }
}
