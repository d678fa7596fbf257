package dev.grad4j.backend.simd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BackendModule;

/**
 * Registers {@link SimdBackend} under the name {@code "simd"}. Listed in
 * {@code META-INF/services/dev.grad4j.api.BackendModule}, so having this jar on the classpath
 * makes the backend selectable. Registration touches no Vector API class: a JVM without
 * {@code --add-modules jdk.incubator.vector} can still use the other backends, and fails with
 * the flag in the message only when {@code simd} is selected.
 */
public final class SimdBackendModule extends BackendModule {

    @Override
    public String backendName() {
        return "simd";
    }

    @Override
    protected Class<? extends Backend> backendClass() {
        return SimdBackend.class;
    }
}
