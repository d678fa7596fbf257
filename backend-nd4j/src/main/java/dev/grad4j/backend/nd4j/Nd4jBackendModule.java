package dev.grad4j.backend.nd4j;

import dev.grad4j.api.Backend;
import dev.grad4j.api.BackendModule;

/**
 * Registers {@link Nd4jBackend} with Guice under the name {@code "nd4j"}. Listed in
 * {@code META-INF/services/dev.grad4j.api.BackendModule}, so putting this jar on the classpath makes
 * {@code -Dgrad4j.backend=nd4j} a valid choice. Building the bindings does not load ND4J: the
 * binding is a lazy singleton, constructed only when the name is selected.
 */
public final class Nd4jBackendModule extends BackendModule {

    @Override
    public String backendName() {
        return Nd4jBackend.NAME;
    }

    @Override
    protected Class<? extends Backend> backendClass() {
        return Nd4jBackend.class;
    }
}
