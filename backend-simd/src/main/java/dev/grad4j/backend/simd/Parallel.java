package dev.grad4j.backend.simd;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one worker pool every parallel kernel of this backend shares, sized by the system property
 * {@value #PROPERTY} (default: {@link Runtime#availableProcessors()}). The calling thread always
 * works too, so the pool holds {@code threads - 1} daemon threads, created on first use.
 *
 * <p>{@link #run} hands out task numbers from one atomic counter: a thread that finishes early
 * takes the next task, which balances uneven tiles and a busy machine. The caller never waits for
 * a helper that has not started: it closes the job when the counter runs out, and a helper that
 * arrives later leaves without touching it. So several callers can share the pool without
 * waiting on each other's work.
 */
final class Parallel {

    /** System property with the number of threads (the caller included) that kernels may use. */
    static final String PROPERTY = "grad4j.threads";

    private static volatile int threads;
    private static volatile ExecutorService pool;

    private Parallel() {
    }

    /**
     * The configured thread count.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} is set to something other than a positive integer
     */
    static int threads() {
        int t = threads;
        if (t == 0) {
            t = parse(System.getProperty(PROPERTY));
            threads = t;
        }
        return t;
    }

    static int parse(String value) {
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(value.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + PROPERTY + " must be a positive integer (threads used by "
                + "the simd backend), got '" + value + "'");
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    AtomicInteger n = new AtomicInteger();
                    p = Executors.newFixedThreadPool(Math.max(1, threads() - 1), r -> {
                        // a 16 MiB stack: with the default 1 MiB, 2048³ products called from the java launcher's
                        // main thread ran at 15 GFLOP/s instead of 125-137 (measured; cause not yet understood)
                        Thread t = new Thread(null, r, "grad4j-simd-" + n.incrementAndGet(), 16L << 20);
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }

    /** Elements from which {@link #blocks} splits a pass over the pool: such passes are bound by memory bandwidth. */
    static final int PARALLEL_PASS = 1 << 18;

    /** A pass over the elements {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)}: in one piece below {@link #PARALLEL_PASS} elements or
     * with one thread, else in {@code 4 · threads} blocks of whole vectors and cache lines over the
     * pool. For passes that compute each element alone, so the split does not change the result.
     */
    static void blocks(int n, Range body) {
        int blocks = n >= PARALLEL_PASS && threads() > 1 ? 4 * threads() : 1;
        if (blocks == 1) {
            body.run(0, n);
            return;
        }
        int block = (n / blocks + 63) & ~63;
        run(blocks, b -> {
            int from = Math.min(n, b * block);
            int to = b == blocks - 1 ? n : Math.min(n, from + block);
            body.run(from, to);
        });
    }

    /** Runs {@code body.accept(t)} for every {@code t} in {@code [0, tasks)}, on up to {@link #threads()} threads; rethrows the first failure. */
    static void run(int tasks, IntConsumer body) {
        int helpers = Math.min(threads(), tasks) - 1;
        if (helpers <= 0) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        Job job = new Job(tasks, body);
        ExecutorService p = pool();
        for (int i = 0; i < helpers; i++) {
            p.execute(job::help);
        }
        job.work();
        job.close();
    }

    /** One call of {@link #run}: a task counter, the helpers still inside, and the first failure. */
    private static final class Job {
        private final int tasks;
        private final IntConsumer body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger active = new AtomicInteger();
        private volatile boolean closed;
        private Throwable failure;

        Job(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
        }

        /** Takes tasks until none are left; a failure stops the handing out of further tasks. */
        void work() {
            int t;
            try {
                while ((t = next.getAndIncrement()) < tasks) {
                    body.accept(t);
                }
            } catch (Throwable e) {
                next.set(tasks);
                synchronized (this) {
                    if (failure == null) {
                        failure = e;
                    } else if (failure != e) {
                        failure.addSuppressed(e);
                    }
                }
            }
        }

        /** A pool thread's part: join unless the caller has already closed the job. */
        void help() {
            active.incrementAndGet();
            try {
                if (!closed) {
                    work();
                }
            } finally {
                if (active.decrementAndGet() == 0) {
                    synchronized (this) {
                        notifyAll();
                    }
                }
            }
        }

        /** Waits for the helpers that joined, then rethrows the first failure. */
        void close() {
            closed = true;
            boolean interrupted = false;
            synchronized (this) {
                while (active.get() > 0) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // helpers write into the caller's arrays: wait for them anyway
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable f;
            synchronized (this) {
                f = failure;
            }
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }
    }
}
