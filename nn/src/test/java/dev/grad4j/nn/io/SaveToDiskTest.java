package dev.grad4j.nn.io;

import dev.grad4j.autograd.Backends;
import dev.grad4j.nn.Linear;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saving, checked on disk, in both formats: an existing file keeps its permissions, a symbolic link
 * is written through to its target (atomically, beside the target), a missing folder is refused
 * naming it, and a read-only file or folder is refused naming the user's path. Root ignores file
 * permissions, so the read-only cases run in a child JVM without those capabilities.
 */
class SaveToDiskTest {

    @TempDir
    Path dir;

    private static Linear model(long seed) {
        return Linear.builder(4, 4).backend(Backends.ejml()).seed(seed).build();
    }

    private static float[] weights(Path file) throws IOException {
        Linear m = model(99);
        m.load(file);
        return m.weight().data().toFloatArray();
    }

    private List<String> names(Path folder) throws IOException {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void anExistingFileKeepsItsPermissionsAndANewOneGetsTheUmasks(String ext) throws IOException {
        Path f = dir.resolve("m." + ext);
        model(1).save(f);
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f), "a new file: what the umask gives");

        Set<PosixFilePermission> odd = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(f, odd);
        model(2).save(f);
        assertEquals(odd, Files.getPosixFilePermissions(f));
        assertArrayEquals(model(2).weight().data().toFloatArray(), weights(f));
        assertEquals(List.of("m." + ext, "plain.txt"), names(dir), "no temporary file is left");
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void aSymbolicLinkIsWrittenThroughToItsTarget(String ext) throws Exception {
        Path targets = Files.createDirectory(dir.resolve("targets"));
        Path links = Files.createDirectory(dir.resolve("links"));
        Path target = targets.resolve("real." + ext);
        model(1).save(target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        Path link = Files.createSymbolicLink(links.resolve("current." + ext), Path.of("..", "targets", "real." + ext));
        model(2).save(link);
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(Path.of("..", "targets", "real." + ext), Files.readSymbolicLink(link));
        assertArrayEquals(model(2).weight().data().toFloatArray(), weights(target));
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), Files.getPosixFilePermissions(target));
        assertEquals(List.of("real." + ext), names(targets));
        assertEquals(List.of("current." + ext), names(links));

        // the temporary file is made beside the target, not beside the link: a read-only folder of links is fine
        Files.setPosixFilePermissions(links, PosixFilePermissions.fromString("r-xr-xr-x"));
        ChildJvm.Result r = ChildJvm.run("64m", true, dir, "save", link.toString());
        assertTrue(r.output().lines().anyMatch("OK"::equals), r.output());
        Files.setPosixFilePermissions(links, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertArrayEquals(model(1).weight().data().toFloatArray(), weights(link), "the child saved Linear(4, 4) seed 1");

        // a dangling link: the file is created where it points
        Path dangling = Files.createSymbolicLink(links.resolve("next." + ext), Path.of("..", "targets", "next." + ext));
        model(3).save(dangling);
        assertTrue(Files.isSymbolicLink(dangling));
        assertArrayEquals(model(3).weight().data().toFloatArray(), weights(targets.resolve("next." + ext)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void aMissingFolderIsRefusedNamingItAndNotCreated(String ext) {
        Path missing = dir.resolve("no-such-folder");
        Path f = missing.resolve("m." + ext);
        IOException e = assertThrows(IOException.class, () -> model(1).save(f));
        assertEquals("cannot write " + f + ": the folder " + missing + " does not exist", e.getMessage());
        assertFalse(Files.exists(missing));
    }

    @ParameterizedTest
    @ValueSource(strings = {"npz", "safetensors"})
    void anUnwritableTargetIsReportedByTheUsersPath(String ext) throws Exception {
        Path f = dir.resolve("locked." + ext);
        model(1).save(f);
        byte[] before = Files.readAllBytes(f);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
        ChildJvm.Result file = ChildJvm.run("64m", true, dir, "save", f.toString());
        assertEquals("IOException: cannot write " + f + ": the file is not writable (r--r--r--)", file.line("REFUSED"),
                file.output());
        assertArrayEquals(before, Files.readAllBytes(f), "the read-only file is unchanged");

        Path link = Files.createSymbolicLink(dir.resolve("link." + ext), f.getFileName());
        ChildJvm.Result viaLink = ChildJvm.run("64m", true, dir, "save", link.toString());
        assertEquals("IOException: cannot write " + link + " (a link to " + f + "): the file is not writable (r--r--r--)",
                viaLink.line("REFUSED"), viaLink.output());

        Path folder = Files.createDirectory(dir.resolve("readonly"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path inside = folder.resolve("m." + ext);
        ChildJvm.Result r = ChildJvm.run("64m", true, dir, "save", inside.toString());
        assertEquals("IOException: cannot write " + inside + ": the folder " + folder + " is not writable", r.line("REFUSED"),
                r.output());
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(List.of(), names(folder), "nothing is left in the folder");

        Path aFolder = Files.createDirectory(dir.resolve("folder." + ext));
        assertEquals("cannot write " + aFolder + ": it is a folder",
                assertThrows(IOException.class, () -> model(1).save(aFolder)).getMessage());
    }
}
