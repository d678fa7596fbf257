package dev.grad4j.backend.ejml;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration: the service file and the Guice module make the backend selectable as "ejml". */
class ModuleTest {

    @Test
    void selectableByNameThroughServiceLoaderAndGuice() {
        assertTrue(Backends.available().contains("ejml"), Backends.available().toString());
        Backend b = Backends.get("ejml");
        assertInstanceOf(EjmlBackend.class, b);
        assertEquals("ejml", b.name());
        assertEquals("ejml", new EjmlBackendModule().backendName());
    }
}
