package dev.grad4j.api;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import jakarta.inject.Provider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/** Backend selection: {@link Grad4jModule#select}, the Guice wiring and the {@link Backends} facade. */
class Grad4jModuleTest {

    // ---------------------------------------------------------------- test backends and modules

    static final AtomicInteger A_MADE = new AtomicInteger();
    static final AtomicInteger B_MADE = new AtomicInteger();

    public static final class BackendA extends InertBackend {
        public BackendA() {
            A_MADE.incrementAndGet();
        }

        @Override
        public String name() {
            return "alpha";
        }
    }

    public static final class BackendB extends InertBackend {
        public BackendB() {
            B_MADE.incrementAndGet();
        }

        @Override
        public String name() {
            return "beta";
        }
    }

    public static final class ModuleA extends BackendModule {
        @Override
        public String backendName() {
            return "alpha";
        }

        @Override
        protected Class<? extends Backend> backendClass() {
            return BackendA.class;
        }
    }

    public static final class ModuleB extends BackendModule {
        @Override
        public String backendName() {
            return "beta";
        }

        @Override
        protected Class<? extends Backend> backendClass() {
            return BackendB.class;
        }
    }

    static final AtomicInteger SLOW_MADE = new AtomicInteger();

    /** Takes a while to build, so concurrent first requests overlap. */
    public static final class SlowBackend extends InertBackend {
        public SlowBackend() throws InterruptedException {
            SLOW_MADE.incrementAndGet();
            Thread.sleep(100);
        }

        @Override
        public String name() {
            return "slow";
        }
    }

    public static final class SlowModule extends BackendModule {
        @Override
        public String backendName() {
            return "slow";
        }

        @Override
        protected Class<? extends Backend> backendClass() {
            return SlowBackend.class;
        }
    }

    @BeforeEach
    void resetCounters() {
        SLOW_MADE.set(0);
        A_MADE.set(0);
        B_MADE.set(0);
    }

    private static BackendConfig configSelecting(String name) {
        Properties p = new Properties();
        if (name != null) {
            p.setProperty(BackendConfig.PROPERTY, name);
        }
        return new BackendConfig(p, k -> null, Path.of("does-not-exist"), new URLClassLoader(new URL[0], null));
    }

    @SuppressWarnings("unchecked")
    private static Provider<Backend> provider() {
        return mock(Provider.class);
    }

    // ---------------------------------------------------------------- select with Provider mocks

    @Test
    void selectCallsOnlyTheChosenProvider() {
        Provider<Backend> ejml = provider();
        Provider<Backend> nd4j = provider();
        Provider<Backend> simd = provider();
        Backend chosen = mock(Backend.class);
        when(nd4j.get()).thenReturn(chosen);

        Backend b = Grad4jModule.select(Map.of("ejml", ejml, "nd4j", nd4j, "simd", simd),
                new BackendConfig.Selection("nd4j", "test"));

        assertSame(chosen, b);
        verify(nd4j, times(1)).get();
        verify(ejml, never()).get();
        verify(simd, never()).get();
    }

    @Test
    void unknownNameListsTheAvailableNamesAndTheSource() {
        Provider<Backend> ejml = provider();
        Provider<Backend> nd4j = provider();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Grad4jModule.select(
                Map.of("nd4j", nd4j, "ejml", ejml), new BackendConfig.Selection("cuda", "environment variable GRAD4J_BACKEND")));
        assertTrue(e.getMessage().contains("'cuda'"), e.getMessage());
        assertTrue(e.getMessage().contains("available: ejml, nd4j"), "sorted list of names: " + e.getMessage());
        assertTrue(e.getMessage().contains("environment variable GRAD4J_BACKEND"), e.getMessage());
        verifyNoInteractions(ejml, nd4j);
    }

    @Test
    void noBackendsAtAllSaysHowToGetOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Grad4jModule.select(Map.of(), new BackendConfig.Selection("ejml", "default")));
        assertTrue(e.getMessage().contains("'ejml'") && e.getMessage().contains("available: none"), e.getMessage());
        assertTrue(e.getMessage().contains("grad4j-backend-ejml"), e.getMessage());
    }

    // ---------------------------------------------------------------- Guice wiring

    @Test
    void injectorBuildsOnlyTheSelectedBackendOnce() {
        Injector injector = Guice.createInjector(new Grad4jModule(configSelecting("beta")), new ModuleA(), new ModuleB());
        assertEquals(0, A_MADE.get() + B_MADE.get(), "creating the injector builds no backend");

        Backend b = injector.getInstance(Backend.class);
        assertInstanceOf(BackendB.class, b);
        assertSame(b, injector.getInstance(Backend.class), "Backend is a singleton");
        Map<String, Provider<Backend>> map = injector.getInstance(Key.get(new TypeLiteral<Map<String, Provider<Backend>>>() { }));
        assertEquals(Set.of("alpha", "beta"), map.keySet());
        assertSame(b, map.get("beta").get(), "the map entry is the same singleton");
        assertEquals(1, B_MADE.get());
        assertEquals(0, A_MADE.get(), "the unselected backend class is never instantiated");
    }

    @Test
    void unselectedBackendIsNotBuiltEvenInProductionStage() {
        // PRODUCTION stage builds singletons eagerly; a backend (and ND4J's native libraries) must still load only when chosen
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new Grad4jModule(configSelecting("alpha")), new ModuleA(),
                new ModuleB());
        assertInstanceOf(BackendA.class, injector.getInstance(Backend.class));
        assertEquals(1, A_MADE.get());
        assertEquals(0, B_MADE.get(), "the unselected backend class is never instantiated");
    }

    @Test
    void concurrentFirstRequestsShareOneInstance() throws Exception {
        Injector injector = Guice.createInjector(new Grad4jModule(configSelecting("slow")), new SlowModule(), new ModuleA());
        Provider<Backend> entry = injector.getInstance(Key.get(new TypeLiteral<Map<String, Provider<Backend>>>() { }))
                .get("slow");
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Backend>> got = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    return entry.get();
                }));
            }
            start.countDown();
            Backend first = got.get(0).get(10, TimeUnit.SECONDS);
            for (Future<Backend> f : got) {
                assertSame(first, f.get(10, TimeUnit.SECONDS));
            }
            assertSame(first, injector.getInstance(Backend.class));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, SLOW_MADE.get(), "one instance per injector");
        assertEquals(0, A_MADE.get());
    }

    @Test
    void theDefaultIsAutoWhichNeedsEjmlOrSimd() {
        Injector injector = Guice.createInjector(new Grad4jModule(configSelecting(null)), new ModuleA(), new ModuleB());
        ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(Backend.class));
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(cause.getMessage().contains("'auto' (from default)") && cause.getMessage().contains("available: alpha, beta"),
                cause.getMessage());
        assertEquals(0, A_MADE.get() + B_MADE.get());
    }

    @Test
    void unknownNameFailsOnFirstUseAndAtStartUpInProduction() {
        Injector injector = Guice.createInjector(new Grad4jModule(configSelecting("gamma")), new ModuleA(), new ModuleB());
        ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(Backend.class));
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(cause.getMessage().contains("'gamma'") && cause.getMessage().contains("available: alpha, beta")
                && cause.getMessage().contains("system property grad4j.backend"), cause.getMessage());

        CreationException c = assertThrows(CreationException.class, () -> Guice.createInjector(Stage.PRODUCTION,
                new Grad4jModule(configSelecting("gamma")), new ModuleA(), new ModuleB()));
        assertTrue(c.getMessage().contains("available: alpha, beta"), c.getMessage());
        assertEquals(0, A_MADE.get() + B_MADE.get(), "no backend is built on the way to the error");
    }

    // ---------------------------------------------------------------- ServiceLoader discovery and the facade

    /** Runs {@code body} with a context class loader that lists ModuleA and ModuleB as services. */
    private static <T> T withServices(Path dir, Callable<T> body) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(BackendModule.class.getName()),
                "# test modules\n" + ModuleA.class.getName() + "\n" + ModuleB.class.getName() + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[]{dir.toUri().toURL()}, Grad4jModuleTest.class.getClassLoader())) {
            thread.setContextClassLoader(cl);
            return body.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void serviceLoaderDiscoversBackendModules(@TempDir Path dir) throws Exception {
        Set<String> names = withServices(dir, Backends::available);
        assertEquals(Set.of("alpha", "beta"), names);
        assertEquals(0, A_MADE.get() + B_MADE.get(), "listing the names builds no backend");

        Backend beta = withServices(dir, () -> Backends.get("beta"));
        assertInstanceOf(BackendB.class, beta);
        assertEquals(0, A_MADE.get());

        Backend viaInjector = withServices(dir, () -> Guice.createInjector(new Grad4jModule(configSelecting("alpha")))
                .getInstance(Backend.class));
        assertInstanceOf(BackendA.class, viaInjector);
        assertEquals(1, B_MADE.get());
    }

    @Test
    void facadeReadsTheSystemProperty(@TempDir Path dir) throws Exception {
        String previous = System.getProperty(BackendConfig.PROPERTY);
        System.setProperty(BackendConfig.PROPERTY, " Beta ");
        try {
            Backend b = withServices(dir, () -> Backends.configured());
            assertInstanceOf(BackendB.class, b);
            assertEquals(0, A_MADE.get());
        } finally {
            if (previous == null) {
                System.clearProperty(BackendConfig.PROPERTY);
            } else {
                System.setProperty(BackendConfig.PROPERTY, previous);
            }
        }
    }

    @Test
    void facadeWithoutBackendsListsNone() {
        // the api module's own classpath registers no backend
        assertEquals(Set.of(), Backends.available());
        // the facade unwraps Guice's ProvisionException: scripts see the selection error itself
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get("ejml"));
        assertTrue(e.getMessage().contains("unknown grad4j backend 'ejml'") && e.getMessage().contains("available: none"),
                e.getMessage());
    }

    // ---------------------------------------------------------------- auto

    @Test
    void autoPicksSimdWithTheVectorApiAndEjmlOtherwiseSayingWhy() {
        BackendConfig.Selection auto = new BackendConfig.Selection("auto", "default");
        BackendConfig.Selection withApi = Grad4jModule.auto(Set.of("ejml", "simd", "nd4j"), auto, true);
        assertEquals("simd", withApi.name());
        assertTrue(withApi.source().contains("auto chose simd because the JVM has the Vector API module"), withApi.source());
        BackendConfig.Selection without = Grad4jModule.auto(Set.of("ejml", "simd"), auto, false);
        assertEquals("ejml", without.name());
        assertTrue(without.source().contains("--add-modules jdk.incubator.vector"), "it names the flag: " + without.source());
        BackendConfig.Selection noSimd = Grad4jModule.auto(Set.of("ejml", "nd4j"), auto, true);
        assertEquals("ejml", noSimd.name());
        assertTrue(noSimd.source().contains("not on the class path"), noSimd.source());
        assertEquals(auto, Grad4jModule.auto(Set.of("nd4j"), auto, true), "nothing to choose: the caller reports it");
        assertTrue(Grad4jModule.vectorApiPresent(), "the test JVMs run with --add-modules jdk.incubator.vector");
    }

    @Test
    void autoSelectsThroughTheProvidersCallingOnlyTheChosenOne() {
        Provider<Backend> ejml = provider();
        Provider<Backend> simd = provider();
        Backend chosen = mock(Backend.class);
        when(simd.get()).thenReturn(chosen);
        Backend b = Grad4jModule.select(Map.of("ejml", ejml, "simd", simd), new BackendConfig.Selection("auto", "default"));
        assertSame(chosen, b, "simd, with the Vector API in this JVM");
        verify(ejml, never()).get();
    }
}
