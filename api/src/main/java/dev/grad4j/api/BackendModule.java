package dev.grad4j.api;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provider;
import com.google.inject.Scope;
import com.google.inject.multibindings.MapBinder;

/**
 * What a backend module contributes to Guice: one entry in the {@code MapBinder<String, Backend>}
 * under its name. A backend jar lists its subclass in
 * {@code META-INF/services/dev.grad4j.api.BackendModule}, so putting the jar on the classpath adds
 * a choice; {@link Grad4jModule} discovers it with {@link java.util.ServiceLoader}.
 *
 * <p>The binding is a lazy singleton: the backend class is instantiated (and, for ND4J, its
 * native libraries loaded) only when that name is selected. It is deliberately not
 * {@code @Singleton}, which Guice builds eagerly in {@code Stage.PRODUCTION}.
 */
public abstract class BackendModule extends AbstractModule {

    /** One instance per binding per injector, created on the first {@code get()}, in every stage. */
    static final Scope LAZY_SINGLETON = new Scope() {
        @Override
        public <T> Provider<T> scope(Key<T> key, Provider<T> unscoped) {
            return new Provider<>() {
                private volatile T instance;

                @Override
                public T get() {
                    T i = instance;
                    if (i == null) {
                        synchronized (this) {
                            i = instance;
                            if (i == null) {
                                i = unscoped.get();
                                instance = i;
                            }
                        }
                    }
                    return i;
                }

                @Override
                public String toString() {
                    return "lazy singleton of " + unscoped;
                }
            };
        }

        @Override
        public String toString() {
            return "BackendModule.LAZY_SINGLETON";
        }
    };

    /** The name users select the backend by, e.g. {@code "ejml"}. */
    public abstract String backendName();

    /** The backend implementation; it needs a constructor Guice can call (public, no arguments, or {@code @Inject}). */
    protected abstract Class<? extends Backend> backendClass();

    @Override
    protected final void configure() {
        MapBinder.newMapBinder(binder(), String.class, Backend.class)
                .addBinding(backendName()).to(backendClass()).in(LAZY_SINGLETON);
    }
}
