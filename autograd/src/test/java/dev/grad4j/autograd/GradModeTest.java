package dev.grad4j.autograd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.UnaryOp;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.mockito.Mockito;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/** Thread-local, scoped grad modes. */
class GradModeTest {

    @Test
    void scopesNestAndRestore() {
        assertTrue(GradMode.isEnabled());
        try (var outer = GradMode.noGrad()) {
            assertFalse(GradMode.isEnabled());
            try (var inner = GradMode.enableGrad()) {
                assertTrue(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void modeIsRestoredWhenTheBodyThrows() {
        assertThrows(IllegalArgumentException.class, () -> {
            try (var s = GradMode.noGrad()) {
                throw new IllegalArgumentException("boom");
            }
        });
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void noGradRecordsNothing() {
        Variable x = Variable.of(Backends.ejml().fromArray(new double[]{1, 2}), true);
        try (var s = GradMode.noGrad()) {
            Variable y = x.mul(x).exp();
            assertNull(y.gradFn());
            assertFalse(y.requiresGrad());
        }
        assertTrue(x.mul(x).requiresGrad());
    }

    @Test
    void noGradCallsOnlyTheForwardKernels() {
        Backend spy = Mockito.spy(Backends.ejml());
        Variable x = Variable.of(spy.fromArray(new double[]{-1, 2}), true);
        Mockito.clearInvocations(spy);
        try (var s = GradMode.noGrad()) {
            x.relu();
        }
        verify(spy, times(1)).unary(any(UnaryOp.class), any());
        List<String> publicCalls = Mockito.mockingDetails(spy).getInvocations().stream()
                .map(i -> i.getMethod())
                .filter(m -> m.getDeclaringClass() == Backend.class && Modifier.isPublic(m.getModifiers())
                        && !m.getName().equals("name"))
                .map(Method::getName)
                .toList();
        assertEquals(List.of("unary"), publicCalls, "under noGrad an op makes one front-door call (its forward) and nothing else");
    }

    @Test
    void aModeSetInOneThreadNeverReachesAnother() throws Exception {
        CountDownLatch set = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicBoolean otherSaw = new AtomicBoolean(false);
        Thread t = new Thread(() -> {
            try {
                set.await();
                otherSaw.set(GradMode.isEnabled());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                checked.countDown();
            }
        });
        t.start();
        try (var s = GradMode.noGrad()) {
            set.countDown();
            assertTrue(checked.await(10, TimeUnit.SECONDS));
            assertFalse(GradMode.isEnabled());
        }
        t.join();
        assertTrue(otherSaw.get(), "the other thread kept grad enabled");
    }

    @Test
    void aPooledThreadStartsTheNextTaskCleanAfterAnException() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> failing = pool.submit(() -> {
                try (var s = GradMode.noGrad()) {
                    throw new IllegalStateException("task failed inside noGrad");
                }
            });
            assertThrows(Exception.class, failing::get);
            assertEquals(Boolean.TRUE, pool.submit(GradMode::isEnabled).get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aScopeMustBeClosedOnItsOwnThread() throws Exception {
        GradMode.Scope s = GradMode.noGrad();
        try {
            Thread t = new Thread(() -> assertThrows(IllegalStateException.class, s::close));
            t.start();
            t.join();
        } finally {
            s.close();
        }
        assertTrue(GradMode.isEnabled());
    }
}
