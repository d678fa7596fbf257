package dev.grad4j.nn.io;

import dev.grad4j.api.io.Npz;
import dev.grad4j.autograd.Backends;
import dev.grad4j.nn.Linear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.grad4j.nn.io.Craft.concat;
import static dev.grad4j.nn.io.Craft.floats;
import static dev.grad4j.nn.io.Craft.npyHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad {@code .npz} files, crafted byte by byte, loaded into a 20-parameter model ({@code Linear(4, 4)}):
 * each is refused with a message naming the file and the entry, and the model keeps its weights.
 * The compression bombs and the 20000 × 20000 array run in a child JVM with a 64 MB heap.
 */
class NpzLoadSafetyTest {

    @TempDir
    Path dir;

    private static Linear model() {
        return Linear.builder(4, 4).backend(Backends.ejml()).seed(3).build();
    }

    private static byte[] weight() {
        return concat(npyHeader("<f4", "(4, 4)"), floats(new float[16]));
    }

    private static byte[] bias() {
        return concat(npyHeader("<f4", "(4,)"), floats(1, 2, 3, 4));
    }

    private Path npz(String name, Object... entries) throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            m.put((String) entries[i], (byte[]) entries[i + 1]);
        }
        return Craft.zip(dir.resolve(name), m);
    }

    /** Loads {@code file} into a fresh model, expects a refusal and returns its message; the model must be unchanged. */
    private static String refused(Path file) {
        Linear m = model();
        float[] w = m.weight().data().toFloatArray();
        float[] b = m.bias().data().toFloatArray();
        Exception e = assertThrows(Exception.class, () -> m.load(file));
        assertTrue(e instanceof IllegalArgumentException || e instanceof FileNotFoundException, e.toString());
        assertArrayEquals(w, m.weight().data().toFloatArray(), "the model keeps its weights");
        assertArrayEquals(b, m.bias().data().toFloatArray(), "the model keeps its bias");
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        return e.getMessage();
    }

    private static void contains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
        }
    }

    @Test
    void aGoodFileLoads() throws Exception {
        Linear m = model();
        m.load(npz("good.npz", "weight.npy", weight(), "bias.npy", bias()));
        assertArrayEquals(new float[]{1, 2, 3, 4}, m.bias().data().toFloatArray());
        assertArrayEquals(new float[16], m.weight().data().toFloatArray());
    }

    @Test
    void foreignEntryNames() throws Exception {
        Path extra = npz("extra.npz", "weight.npy", weight(), "bias.npy", bias(), "README.txt", new byte[]{'h', 'i'});
        assertEquals("cannot load " + extra + " into Linear: entry 'README.txt' is not an .npy array (an .npz holds NAME.npy"
                + " entries only)", refused(extra));
        Path folder = npz("folder.npz", "weight.npy", weight(), "bias.npy", bias(), "sub/", new byte[0]);
        contains(refused(folder), "entry 'sub/' is not an .npy array");
        Path renamed = npz("renamed.npz", "weights.npy", weight(), "bias.npy", bias());
        contains(refused(renamed), "missing [weight], unexpected [weights]");
    }

    @Test
    void aDuplicateEntryIsRefused() throws Exception {
        Path f = npz("dup.npz", "weight.npy", weight(), "bias.npy", bias(), "weigh2.npy", weight());
        byte[] bytes = Files.readAllBytes(f);
        String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("weigh2.npy", "weight.npy");
        Files.write(f, s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        contains(refused(f), "entry 'weight.npy' appears twice");
    }

    @Test
    void wrongDtypes() throws Exception {
        Path i8 = npz("int.npz", "weight.npy", concat(npyHeader("<i8", "(4, 4)"), new byte[128]), "bias.npy", bias());
        assertEquals("cannot load " + i8 + " into Linear: entry 'weight.npy' has dtype '<i8'; grad4j reads <f4 (FLOAT32) and"
                + " <f8 (FLOAT64)", refused(i8));
        Path f8 = npz("f8.npz", "weight.npy", concat(npyHeader("<f8", "(4, 4)"), new byte[128]), "bias.npy", bias());
        assertEquals("cannot load " + f8 + " into Linear: entry 'weight' is FLOAT64 [4, 4] but the parameter weight is"
                + " FLOAT32 [4, 4]", refused(f8));
        Path big = npz("bigendian.npz", "weight.npy", concat(npyHeader(">f4", "(4, 4)"), new byte[64]), "bias.npy", bias());
        contains(refused(big), "entry 'weight.npy' has dtype '>f4'");
    }

    @Test
    void wrongShapes() throws Exception {
        Path t = npz("t.npz", "weight.npy", concat(npyHeader("<f4", "(16,)"), new byte[64]), "bias.npy", bias());
        assertEquals("cannot load " + t + " into Linear: entry 'weight' is FLOAT32 [16] but the parameter weight is"
                + " FLOAT32 [4, 4]", refused(t));
        Path absurd = npz("absurd.npz", "weight.npy", npyHeader("<f4", "(1099511627776, 1099511627776)"), "bias.npy", bias());
        contains(refused(absurd), "entry 'weight.npy' declares shape [1099511627776, 1099511627776] of more than 2^63"
                + " elements, more than a tensor can hold");
        Path negative = npz("negative.npz", "weight.npy", npyHeader("<f4", "(-1, 4)"), "bias.npy", bias());
        contains(refused(negative), "entry 'weight.npy' has a negative dimension");
        Path garbled = npz("garbled.npz", "weight.npy", npyHeader("<f4", "(4, x)"), "bias.npy", bias());
        contains(refused(garbled), "entry 'weight.npy' has a bad shape (4, x)");
    }

    @Test
    void aHugeDeclaredShapeIsRefusedBeforeAnythingIsAllocated() throws Exception {
        // the header says 20000 x 20000 (1.6 GB) and the entry holds no data: refused from the zip directory alone
        Path f = npz("huge.npz", "weight.npy", npyHeader("<f4", "(20000, 20000)"), "bias.npy", bias());
        assertEquals("cannot load " + f + " into Linear: entry 'weight.npy' is truncated: its .npy header declares FLOAT32"
                + " [20000, 20000] (1600000000 bytes of data) but the entry holds 0 bytes of data", refused(f));
        var e = assertThrows(Npz.NpzFormatException.class, () -> Npz.read(f, Backends.ejml()));
        contains(e.getMessage(), "cannot read " + f, "entry 'weight.npy' is truncated");
    }

    @Test
    void truncatedFiles() throws Exception {
        Path entry = npz("short.npz", "weight.npy", concat(npyHeader("<f4", "(4, 4)"), new byte[32]), "bias.npy", bias());
        assertEquals("cannot load " + entry + " into Linear: entry 'weight.npy' is truncated: its .npy header declares"
                + " FLOAT32 [4, 4] (64 bytes of data) but the entry holds 32 bytes of data", refused(entry));
        Path header = npz("header.npz", "weight.npy", Arrays.copyOf(npyHeader("<f4", "(4, 4)"), 20), "bias.npy", bias());
        contains(refused(header), "entry 'weight.npy' is truncated in its .npy header");
        Path tiny = npz("tiny.npz", "weight.npy", new byte[]{(byte) 0x93, 'N'}, "bias.npy", bias());
        contains(refused(tiny), "entry 'weight.npy' is truncated: 2 bytes, not an .npy array");

        Path whole = npz("whole.npz", "weight.npy", weight(), "bias.npy", bias());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.npz"), Arrays.copyOf(bytes, bytes.length - 30));
        contains(refused(cut), "not a valid .npz (zip) archive");
        Path magic = npz("magic.npz", "weight.npy", concat("NOTNUMPY".getBytes(), new byte[100]), "bias.npy", bias());
        contains(refused(magic), "entry 'weight.npy' is not an .npy array (bad magic)");
        Path version = npz("version.npz", "weight.npy", concat(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0},
                new byte[100]), "bias.npy", bias());
        contains(refused(version), "entry 'weight.npy' has unsupported .npy version 9.0");
    }

    @Test
    void aCorruptDeflateStreamIsRefused() throws Exception {
        Path f = npz("corrupt.npz", "weight.npy", concat(weight(), new byte[0]), "bias.npy", bias());
        byte[] bytes = Files.readAllBytes(f);
        // the first entry's compressed data starts after its 30-byte local header and name
        for (int i = 30 + "weight.npy".length() + 4; i < 30 + "weight.npy".length() + 12; i++) {
            bytes[i] = (byte) 0xff;
        }
        Files.write(f, bytes);
        contains(refused(f), "entry 'weight.npy'");
    }

    @Test
    void aMissingFileAFolderAndAnUnreadableFileNameThePath() throws Exception {
        Path missing = dir.resolve("missing.npz");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> model().load(missing));
        assertEquals("cannot load " + missing + " into Linear: no such file", e.getMessage());
        Path relative = Path.of("no-such-dir-here", "weights.npz");
        assertEquals("cannot load " + relative + " into Linear: no such file (looked for " + relative.toAbsolutePath() + ")",
                assertThrows(FileNotFoundException.class, () -> model().load(relative)).getMessage());
        assertEquals("cannot load " + dir + " into Linear: it is a folder, not a file",
                assertThrows(FileNotFoundException.class, () -> model().load(dir)).getMessage());
        assertEquals("cannot read " + missing + ": no such file",
                assertThrows(FileNotFoundException.class, () -> Npz.read(missing, Backends.ejml())).getMessage());

        Path locked = npz("locked.npz", "weight.npy", weight(), "bias.npy", bias());
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("-w-------"));
        ChildJvm.Result r = ChildJvm.run("64m", true, dir, "load", locked.toString());
        assertEquals("FileNotFoundException: cannot load " + locked + " into Linear: permission denied", r.line("REFUSED"),
                r.output());
        assertEquals("true", r.line("UNCHANGED"), r.output());
    }

    // ------------------------------------------------------------------ in a 64 MB heap

    @Test
    void aCompressionBombWhoseDirectoryLiesIsRefusedWithinASmallHeap() throws Exception {
        // the header declares 4 x 4 floats; 1 GiB of zeros follow; the zip directory claims just the declared size
        Path bomb = Craft.zipOfZeros(dir.resolve("bomb.npz"), Map.of("bias.npy", bias()), "weight.npy", npyHeader("<f4", "(4, 4)"), 1L << 30);
        Craft.setDirectorySize(bomb, "weight.npy", npyHeader("<f4", "(4, 4)").length + 64);
        ChildJvm.Result r = ChildJvm.run("64m", false, dir, "load", bomb.toString());
        assertEquals(0, r.exit(), r.output());
        assertEquals("IllegalArgumentException: cannot load " + bomb + " into Linear: entry 'weight.npy' inflates to more"
                + " data than its .npy header declares (FLOAT32 [4, 4], 64 bytes): refused, the file is corrupt or a"
                + " compression bomb", r.line("REFUSED"), r.output());
        assertEquals("true", r.line("UNCHANGED"), r.output());
        System.out.println("bomb (1 GiB of zeros, " + Files.size(bomb) + " bytes on disk, lying directory): peak heap "
                + r.line("PEAK_HEAP_MB") + " MB of 64");
    }

    @Test
    void aCompressionBombWithAnHonestDirectoryIsRefusedBeforeInflating() throws Exception {
        Path bomb = Craft.zipOfZeros(dir.resolve("bomb2.npz"), Map.of("bias.npy", bias()), "weight.npy", npyHeader("<f4", "(4, 4)"), 1L << 30);
        ChildJvm.Result r = ChildJvm.run("64m", false, dir, "load", bomb.toString());
        assertEquals("IllegalArgumentException: cannot load " + bomb + " into Linear: entry 'weight.npy' has bytes beyond"
                + " its array: its .npy header declares FLOAT32 [4, 4] (64 bytes of data) but the entry holds 1073741824"
                + " bytes of data", r.line("REFUSED"), r.output());
        assertEquals("true", r.line("UNCHANGED"), r.output());
    }

    @Test
    void aReal20000By20000ArrayIsRefusedByAModelAndByTheHeapCheckWithinASmallHeap() throws Exception {
        // the file: one real float32 array of 20000 x 20000 zeros, a few MB compressed
        Path huge = Craft.zipOfZeros(dir.resolve("huge.npz"), Map.of("bias.npy", bias()), "weight.npy", npyHeader("<f4", "(20000, 20000)"),
                20000L * 20000 * 4);
        ChildJvm.Result load = ChildJvm.run("64m", false, dir, "load", huge.toString());
        assertEquals("IllegalArgumentException: cannot load " + huge + " into Linear: entry 'weight' is FLOAT32"
                + " [20000, 20000] but the parameter weight is FLOAT32 [4, 4]", load.line("REFUSED"), load.output());
        assertEquals("true", load.line("UNCHANGED"), load.output());
        System.out.println("20000 x 20000 float32 (" + Files.size(huge) + " bytes on disk) into Linear(4, 4): peak heap "
                + load.line("PEAK_HEAP_MB") + " MB of 64");

        ChildJvm.Result read = ChildJvm.run("64m", false, dir, "read", huge.toString());
        String m = read.line("REFUSED");
        assertTrue(m != null && m.startsWith("NpzFormatException: cannot read " + huge + ": its entries declare 1.5 GiB of"
                + " data (the largest, 'weight', FLOAT32 [20000, 20000], 1.5 GiB), more than this JVM can read with"), read.output());
        assertTrue(m.endsWith("raise -Xmx if the file is what you meant to read"), m);
    }
}
