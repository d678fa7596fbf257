package dev.grad4j.backend.nd4j;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import dev.grad4j.api.Backend;
import dev.grad4j.api.BackendConfig;
import dev.grad4j.api.BackendModule;
import dev.grad4j.api.DType;
import dev.grad4j.api.Grad4jModule;
import dev.grad4j.api.Shape;
import jakarta.inject.Provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Run in a fresh JVM by {@link Nd4jBackendLoadingTest}: wires the backend the ways an application
 * does, prints how many of ND4J's native libraries the process has mapped after each step, and
 * finally uses the backend (the positive control showing that the count does see ND4J).
 *
 * <p>The count reads {@code /proc/self/maps}: a native library loaded by JavaCPP (libnd4jcpu,
 * libjnind4jcpu, OpenBLAS) is mapped into the process, so a count of 0 means ND4J's native code was
 * not loaded, whatever Java classes were.
 */
public final class NativeLoadProbe {

    private NativeLoadProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("start=" + nativeLibraries());

        // the ServiceLoader path: load and initialize the module class, build its bindings
        Class<?> moduleClass = Class.forName("dev.grad4j.backend.nd4j.Nd4jBackendModule");
        BackendModule module = (BackendModule) moduleClass.getConstructor().newInstance();
        Injector injector = Guice.createInjector(module);
        Map<String, Provider<Backend>> backends = injector.getInstance(
                Key.get(new TypeLiteral<Map<String, Provider<Backend>>>() { }));
        System.out.println("module=" + nativeLibraries() + " keys=" + new TreeSet<>(backends.keySet()));

        // reflection on the backend class, as Guice and other tools do, and its initialization
        Class<?> backendClass = Class.forName("dev.grad4j.backend.nd4j.Nd4jBackend", true,
                NativeLoadProbe.class.getClassLoader());
        int members = backendClass.getDeclaredMethods().length + backendClass.getDeclaredFields().length
                + backendClass.getDeclaredConstructors().length + backendClass.getMethods().length;
        System.out.println("reflection=" + nativeLibraries() + " members=" + members);

        // another backend selected and used while this jar is on the classpath (ejml is on the test
        // classpath), in Stage.PRODUCTION, where Guice builds singletons eagerly
        Backend other = Guice.createInjector(Stage.PRODUCTION, new Grad4jModule(select("ejml"))).getInstance(Backend.class);
        double otherSum = other.ones(Shape.of(2, 2), DType.FLOAT64).sum().item();
        System.out.println("otherBackend=" + nativeLibraries() + " name=" + other.name() + " sum=" + otherSum);

        // the application path: Grad4jModule discovers every backend module and selects nd4j by name,
        // but Backend itself is not requested yet
        Injector app = Guice.createInjector(new Grad4jModule(select("nd4j")));
        System.out.println("application=" + nativeLibraries() + " bindings=" + app.getAllBindings().size());

        // positive control: selecting and using the backend loads ND4J
        Backend backend = app.getInstance(Backend.class);
        double sum = backend.ones(Shape.of(2, 3), DType.FLOAT64).sum().item();
        System.out.println("used=" + nativeLibraries() + " backend=" + backend.getClass().getSimpleName() + " sum=" + sum);
    }

    /** A configuration that selects {@code name}, whatever this JVM's properties and environment say. */
    private static BackendConfig select(String name) {
        Properties p = new Properties();
        p.setProperty(BackendConfig.PROPERTY, name);
        return new BackendConfig(p, k -> null, Path.of(""), NativeLoadProbe.class.getClassLoader());
    }

    /** How many distinct ND4J/OpenBLAS/JavaCPP shared objects this process has mapped. */
    static long nativeLibraries() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains(".so"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .filter(f -> f.contains("nd4j") || f.contains("openblas") || f.contains("javacpp"))
                .distinct()
                .count();
    }
}
