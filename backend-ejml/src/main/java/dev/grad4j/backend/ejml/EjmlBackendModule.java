package dev.grad4j.backend.ejml;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BackendModule;

/**
 * Registers {@link EjmlBackend} under the name {@code "ejml"}. Listed in
 * {@code META-INF/services/dev.grad4j.api.BackendModule}, so having this jar on the classpath
 * makes the backend selectable.
 */
public final class EjmlBackendModule extends BackendModule {

    @Override
    public String backendName() {
        return "ejml";
    }

    @Override
    protected Class<? extends Backend> backendClass() {
        return EjmlBackend.class;
    }
}
