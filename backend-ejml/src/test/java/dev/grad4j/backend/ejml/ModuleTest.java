package dev.grad4j.backend.ejml;

import dev.grad4j.api.Backend;
import dev.grad4j.api.Grad4j;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registration: the service file and the Guice module make the backend selectable as "ejml". */
class ModuleTest {

    @Test
    void selectableByNameThroughServiceLoaderAndGuice() {
        assertTrue(Grad4j.availableBackends().contains("ejml"), Grad4j.availableBackends().toString());
        Backend b = Grad4j.backend("ejml");
        assertInstanceOf(EjmlBackend.class, b);
        assertEquals("ejml", b.name());
        assertEquals("ejml", new EjmlBackendModule().backendName());
    }
}
