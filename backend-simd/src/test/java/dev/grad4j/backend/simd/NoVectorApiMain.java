package dev.grad4j.backend.simd;

import dev.grad4j.api.Backends;

/**
 * Run by {@link StartupTest} in a child JVM started without {@code --add-modules jdk.incubator.vector}:
 * prints what selecting {@code simd} does there, one fact per line.
 */
public final class NoVectorApiMain {

    private NoVectorApiMain() {
    }

    public static void main(String[] args) {
        System.out.println("module present: " + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        try {
            new SimdBackend();
            System.out.println("direct: no exception");
        } catch (RuntimeException e) {
            System.out.println("direct: " + e.getClass().getName());
            System.out.println("direct message: " + e.getMessage());
        }
        try {
            Backends.get("simd");
            System.out.println("guice: no exception");
        } catch (RuntimeException e) {
            System.out.println("guice: " + e.getClass().getName());
            System.out.println("guice top message mentions the flag: " + String.valueOf(e.getMessage()).contains("--add-modules jdk.incubator.vector"));
            Throwable c = e;
            while (c.getCause() != null) {
                c = c.getCause();
            }
            System.out.println("guice cause: " + c.getClass().getName());
            System.out.println("guice message: " + c.getMessage());
        }
        System.out.println("available: " + Backends.available());
        System.out.println("ejml works: " + Backends.get("ejml").fromArray(new double[]{1, 2}).sum().item());
    }
}
