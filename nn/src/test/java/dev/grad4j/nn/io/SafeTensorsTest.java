package dev.grad4j.nn.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.io.SafeTensors;
import dev.grad4j.api.io.TensorInfo;
import dev.grad4j.autograd.Backends;
import dev.grad4j.nn.Layer;
import dev.grad4j.nn.LayerNorm;
import dev.grad4j.nn.Linear;
import dev.grad4j.nn.Sequential;
import dev.grad4j.nn.Tanh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.grad4j.nn.io.Craft.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * safetensors: round trips on every backend and dtype, a file read back by an independent reader
 * (the header parsed with Jackson, the bytes compared), golden files written from the spec, and
 * every malformed header refused with the model unchanged.
 */
class SafeTensorsTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> backendsAndDtypes() {
        return Backends.all().flatMap(b -> Stream.of(Arguments.of(b, DType.FLOAT32), Arguments.of(b, DType.FLOAT64)));
    }

    private static Sequential mlp(Backend b, DType d, long seed) {
        return Sequential.of(Linear.builder(3, 5).backend(b).dtype(d).seed(seed).build(), new Tanh(),
                new LayerNorm(b, d, 1e-5, true, 5), Linear.builder(5, 2).backend(b).dtype(d).seed(seed + 1).build());
    }

    private static double[] flat(Layer m) {
        return m.parameters().stream().flatMapToDouble(p -> Arrays.stream(p.data().toDoubleArray())).toArray();
    }

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void aModelRoundTrips(Backend b, DType d) throws Exception {
        Sequential a = mlp(b, d, 1);
        // LayerNorm starts at ones and zeros: give it other values so the round trip shows
        a.namedParameters().get("2.weight").data().assign(b.fromArray(new double[]{0.5, 1.5, -2, 3, 0.25}, 5).to(d));
        Path f = dir.resolve("model.safetensors");
        a.save(f);
        Sequential c = mlp(b, d, 100);
        c.load(f);
        assertArrayEquals(flat(a), flat(c));
        Map<String, TensorInfo> headers = SafeTensors.headers(f);
        assertEquals(List.of("0.bias", "0.weight", "2.bias", "2.weight", "3.bias", "3.weight"), List.copyOf(headers.keySet()));
        assertEquals(new TensorInfo("0.weight", d, Shape.of(5, 3)), headers.get("0.weight"));
    }

    @ParameterizedTest
    @MethodSource("backendsAndDtypes")
    void aMapOfTensorsRoundTripsWithItsMetadata(Backend b, DType d) throws Exception {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("matrix", b.fromArray(new double[]{1, -2, 3.25, 4, 5, 6}, 2, 3).to(d));
        t.put("scalar", b.fromArray(new double[]{7.5}, Shape.scalar()).to(d));
        t.put("empty", b.zeros(Shape.of(0, 4), d));
        t.put("other", b.fromArray(new float[]{0.125f, 9}, 2));
        t.put("héllo wörld", b.fromArray(new double[]{1e-300, -0.0}, 2));
        Path f = dir.resolve("tensors.safetensors");
        SafeTensors.write(f, t, Map.of("format", "pt", "source", "grad4j test"));
        Map<String, Tensor> r = SafeTensors.read(f, b);
        assertEquals(t.keySet(), r.keySet());
        for (String name : t.keySet()) {
            assertEquals(t.get(name).dtype(), r.get(name).dtype(), name);
            assertEquals(t.get(name).shape(), r.get(name).shape(), name);
            assertArrayEquals(t.get(name).toDoubleArray(), r.get(name).toDoubleArray(), name);
            assertEquals(b.name(), r.get(name).backend().name());
        }
        assertEquals(Map.of("format", "pt", "source", "grad4j test"), SafeTensors.metadata(f));
    }

    @Test
    void aFileGrad4jWritesReadsBackWithAnIndependentReader() throws Exception {
        Backend b = Backends.ejml();
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("z.f32", b.fromArray(new float[]{1.5f, -2, 0.1f}, 3));
        t.put("a.f32", b.fromArray(new float[]{4, 5, 6, 7}, 2, 2));
        t.put("m.f64", b.fromArray(new double[]{Math.PI, -1e10}, 2, 1));
        Path f = dir.resolve("written.safetensors");
        SafeTensors.write(f, t, Map.of("note", "hi"));

        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        assertEquals(0, n % 8, "the header is padded to a multiple of 8 bytes");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"), header);
        assertEquals(header.strip().length(), header.stripTrailing().length(), "padded with spaces at the end only");
        JsonNode root = JSON.readTree(header);
        List<String> keys = new ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("__metadata__", "m.f64", "a.f32", "z.f32"), keys, "metadata first, then F64, then by name");
        assertEquals("hi", root.get("__metadata__").get("note").asText());
        long covered = 0;
        for (String name : List.of("m.f64", "a.f32", "z.f32")) {
            JsonNode e = root.get(name);
            assertEquals(3, e.size(), "dtype, shape and data_offsets only: " + e);
            Tensor expected = t.get(name);
            assertEquals(expected.dtype() == DType.FLOAT32 ? "F32" : "F64", e.get("dtype").asText());
            int[] shape = new int[e.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.get("shape").get(i).asInt();
            }
            assertArrayEquals(expected.shape().dims(), shape);
            long begin = e.get("data_offsets").get(0).asLong();
            long end = e.get("data_offsets").get(1).asLong();
            assertEquals(covered, begin, "contiguous in header order");
            byte[] raw = Arrays.copyOfRange(bytes, (int) (8 + n + begin), (int) (8 + n + end));
            ByteBuffer want = ByteBuffer.allocate(raw.length).order(ByteOrder.LITTLE_ENDIAN);
            if (expected.dtype() == DType.FLOAT32) {
                want.asFloatBuffer().put(expected.toFloatArray());
            } else {
                want.asDoubleBuffer().put(expected.toDoubleArray());
            }
            assertArrayEquals(want.array(), raw, name);
            covered = end;
        }
        assertEquals(bytes.length - 8 - n, covered, "the tensors cover the buffer exactly");
    }

    // ------------------------------------------------------------------ golden files

    private Path golden(String name) throws Exception {
        Path f = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/golden/safetensors/" + name)) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void goldenFilesWrittenFromTheSpecLoad() throws Exception {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/golden/safetensors/expected.json")) {
            expected = JSON.readTree(in);
        }
        for (Iterator<String> files = expected.fieldNames(); files.hasNext(); ) {
            String file = files.next();
            Path f = golden(file);
            JsonNode want = expected.get(file);
            Map<String, Tensor> got = SafeTensors.read(f, Backends.ejml());
            List<String> names = new ArrayList<>();
            want.get("tensors").fieldNames().forEachRemaining(names::add);
            assertEquals(names.stream().sorted().toList(), got.keySet().stream().sorted().toList(), file);
            for (String name : names) {
                JsonNode w = want.get("tensors").get(name);
                Tensor t = got.get(name);
                assertEquals(w.get("dtype").asText().equals("F32") ? DType.FLOAT32 : DType.FLOAT64, t.dtype(), name);
                int[] shape = new int[w.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.get("shape").get(i).asInt();
                }
                assertEquals(Shape.of(shape), t.shape(), name);
                double[] values = new double[w.get("values").size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = w.get("values").get(i).asDouble();
                }
                if (t.dtype() == DType.FLOAT32) {
                    float[] fv = new float[values.length];
                    for (int i = 0; i < fv.length; i++) {
                        fv[i] = (float) values[i];
                    }
                    assertArrayEquals(fv, t.toFloatArray(), name);
                } else {
                    assertArrayEquals(values, t.toDoubleArray(), name);
                }
            }
            Map<String, String> meta = new LinkedHashMap<>();
            want.get("metadata").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
            assertEquals(meta, SafeTensors.metadata(f), file);
        }
    }

    @Test
    void theGoldenModelLoadsAndGrad4jWritesItBackByteForByte() throws Exception {
        Path f = golden("mlp.safetensors");
        Sequential m = Sequential.of(Linear.builder(3, 4).backend(Backends.ejml()).build(), new Tanh(),
                Linear.builder(4, 2).backend(Backends.ejml()).build());
        m.load(f);
        assertArrayEquals(new float[]{-0.625f, 0, 0.625f, -0.875f}, m.namedParameters().get("0.bias").data().toFloatArray());
        Path again = dir.resolve("again.safetensors");
        SafeTensors.write(again, m.stateDict(), Map.of("format", "pt"));
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(again), "the reference writer's layout");
    }

    // ------------------------------------------------------------------ malformed files

    private static final String BIAS = "\"bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}";
    private static final String WEIGHT = "\"weight\":{\"dtype\":\"F32\",\"shape\":[4,4],\"data_offsets\":[16,80]}";

    private static Linear model() {
        return Linear.builder(4, 4).backend(Backends.ejml()).seed(3).build();
    }

    private static byte[] data(int bytes) {
        float[] v = new float[bytes / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Arrays.copyOf(floats(v), bytes);
    }

    private Path file(String name, String json, int dataBytes) throws Exception {
        return Craft.safetensors(dir.resolve(name + ".safetensors"), json, data(dataBytes));
    }

    /** Loads {@code file} into a fresh model: refused, the model unchanged; returns the message less "cannot load FILE into Linear: ". */
    private static String refused(Path file) {
        Linear m = model();
        float[] w = m.weight().data().toFloatArray();
        float[] b = m.bias().data().toFloatArray();
        Exception e = assertThrows(Exception.class, () -> m.load(file));
        assertTrue(e instanceof IllegalArgumentException || e instanceof FileNotFoundException, e.toString());
        assertArrayEquals(w, m.weight().data().toFloatArray(), "the model keeps its weights");
        assertArrayEquals(b, m.bias().data().toFloatArray(), "the model keeps its bias");
        String prefix = "cannot load " + file + " into Linear: ";
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
        return e.getMessage().substring(prefix.length());
    }

    @Test
    void aGoodHandWrittenFileLoads() throws Exception {
        Linear m = model();
        m.load(file("good", "{" + BIAS + "," + WEIGHT + "}", 80));
        assertArrayEquals(new float[]{0, 1, 2, 3}, m.bias().data().toFloatArray());
        assertEquals(19f, m.weight().data().toFloatArray()[15]);
    }

    @Test
    void theHeaderLengthMustLieInTheFile() throws Exception {
        byte[] h = ("{" + BIAS + "," + WEIGHT + "}").getBytes(StandardCharsets.UTF_8);
        Path beyond = Craft.safetensors(dir.resolve("beyond.safetensors"), 10_000, h, data(80));
        assertEquals("the header length 10000 is beyond the file's end (" + Files.size(beyond) + " bytes): not a"
                + " safetensors file, or a truncated one", refused(beyond));
        Path negative = Craft.safetensors(dir.resolve("negative.safetensors"), -8, h, data(80));
        assertEquals("the header length 18446744073709551608 is beyond the file's end (" + Files.size(negative)
                + " bytes): not a safetensors file, or a truncated one", refused(negative));
        Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[]{1, 2, 3});
        assertEquals("not a safetensors file (3 bytes, shorter than the 8-byte header length)", refused(tiny));
        Path npz = dir.resolve("really.npz.safetensors");
        model().save(dir.resolve("really.npz"));
        Files.copy(dir.resolve("really.npz"), npz);
        assertTrue(refused(npz).startsWith("the header length "), "an .npz is no safetensors file");
    }

    @Test
    void theHeaderMustBeAJsonObjectOfTensors() throws Exception {
        assertTrue(refused(file("json", "{" + BIAS + ",", 80)).startsWith("the header is not valid JSON ("));
        assertEquals("the header does not start with '{' (not a safetensors file)", refused(file("array", "[1, 2]", 0)));
        assertEquals("the header has more after its JSON object (only space padding may follow)",
                refused(file("after", "{" + BIAS + "," + WEIGHT + "}{}", 80)));
        assertEquals("entry 'weight' has an unknown field 'offsets' (a tensor has dtype, shape and data_offsets)",
                refused(file("field", "{" + BIAS + "," + WEIGHT.replace("data_offsets", "offsets") + "}", 80)));
        assertEquals("entry 'weight' lacks dtype",
                refused(file("lacks", "{" + BIAS + "," + WEIGHT.replace("\"dtype\":\"F32\",", "") + "}", 80)));
        assertEquals("__metadata__ 'epoch' must be a string, found VALUE_NUMBER_INT",
                refused(file("meta", "{\"__metadata__\":{\"epoch\":3}," + BIAS + "," + WEIGHT + "}", 80)));
        assertEquals("entry 'weight' appears twice in the header",
                refused(file("twice", "{" + WEIGHT + "," + BIAS + "," + WEIGHT + "}", 80)));
        assertEquals("entry 'weight': data_offsets must hold 2 integers, found 3",
                refused(file("three", "{" + BIAS + "," + WEIGHT.replace("[16,80]", "[16,80,96]") + "}", 80)));
        // padding with spaces (beyond the multiple of 8) is fine
        model().load(file("padded", "{" + BIAS + "," + WEIGHT + "}" + " ".repeat(21), 80));
    }

    @Test
    void unknownAndUnsupportedDtypesAreRefusedByName() throws Exception {
        assertEquals("entry 'weight' has an unknown dtype 'F33' (grad4j reads F32 and F64)",
                refused(file("f33", "{" + BIAS + "," + WEIGHT.replace("F32", "F33") + "}", 80)));
        assertEquals("entry 'weight' has dtype BF16, which grad4j does not read (grad4j reads F32 and F64)",
                refused(file("bf16", "{" + BIAS + "," + WEIGHT.replace("F32", "BF16").replace("[16,80]", "[16,48]") + "}", 48)));
        assertEquals("entry 'weight' is FLOAT64 [4, 4] but the parameter weight is FLOAT32 [4, 4]",
                refused(file("f64", "{" + BIAS + "," + WEIGHT.replace("F32", "F64").replace("[16,80]", "[16,144]") + "}", 144)));
    }

    @Test
    void absurdShapesAreRefused() throws Exception {
        String absurd = WEIGHT.replace("[4,4]", "[4294967296,4294967296]");
        Path f = file("absurd", "{" + BIAS + "," + absurd + "}", 80);
        assertEquals("entry 'weight' declares shape [4294967296, 4294967296] of more than 2^63 elements, more than a"
                + " tensor can hold (2147483639)", refused(f));
        assertEquals("entry 'weight': shape holds 99999999999999999999999, beyond any file or tensor",
                refused(file("big", "{" + BIAS + "," + WEIGHT.replace("[4,4]", "[99999999999999999999999]") + "}", 80)));
        assertEquals("entry 'weight': shape holds the negative -4",
                refused(file("neg", "{" + BIAS + "," + WEIGHT.replace("[4,4]", "[-4,-4]") + "}", 80)));
        assertEquals("entry 'weight': shape must hold integers, found 2.5",
                refused(file("frac", "{" + BIAS + "," + WEIGHT.replace("[4,4]", "[2.5,4]") + "}", 80)));
        assertEquals("entry 'weight' is FLOAT32 [4, 3] but the parameter weight is FLOAT32 [4, 4]",
                refused(file("shape", "{" + BIAS + "," + WEIGHT.replace("[4,4]", "[4,3]").replace("[16,80]", "[16,64]") + "}", 64)));
        assertEquals("its entries do not match the model's parameters: missing [weight], unexpected [w]",
                refused(file("names", "{" + BIAS + "," + WEIGHT.replace("\"weight\"", "\"w\"") + "}", 80)));
    }

    @Test
    void offsetsMustTileTheBufferExactly() throws Exception {
        assertEquals("entry 'weight' (data_offsets [8, 72]) overlaps entry 'bias', which ends at 16",
                refused(file("overlap", "{" + BIAS + "," + WEIGHT.replace("[16,80]", "[8,72]") + "}", 80)));
        assertEquals("entry 'weight' has data_offsets [16, 80] beyond the data, which is 72 bytes long (a truncated file?)",
                refused(file("short", "{" + BIAS + "," + WEIGHT + "}", 72)));
        assertEquals("the data has a hole: bytes 16 to 24 belong to no tensor (before entry 'weight')",
                refused(file("hole", "{" + BIAS + "," + WEIGHT.replace("[16,80]", "[24,88]") + "}", 88)));
        assertEquals("the data is 84 bytes long but its tensors cover 80 (bytes after the last tensor belong to none)",
                refused(file("trailing", "{" + BIAS + "," + WEIGHT + "}", 84)));
        assertEquals("entry 'weight' is FLOAT32 [4, 4] (64 bytes) but its data_offsets [16, 76] span 60 bytes",
                refused(file("span", "{" + BIAS + "," + WEIGHT.replace("[16,80]", "[16,76]") + "}", 80)));
        assertEquals("entry 'weight' has data_offsets [80, 16] that end before they begin",
                refused(file("reversed", "{" + BIAS + "," + WEIGHT.replace("[16,80]", "[80,16]") + "}", 80)));
        assertEquals("entry 'weight' has data_offsets [16, 1600000016] beyond the data, which is 80 bytes long (a truncated"
                + " file?)", refused(file("huge", "{" + BIAS + "," + WEIGHT.replace("[4,4]", "[20000,20000]")
                .replace("[16,80]", "[16,1600000016]") + "}", 80)));
    }

    @Test
    void aMissingFileAndAFolderNameThePath() throws Exception {
        Path missing = dir.resolve("missing.safetensors");
        assertEquals("cannot load " + missing + " into Linear: no such file",
                assertThrows(FileNotFoundException.class, () -> model().load(missing)).getMessage());
        Path folder = Files.createDirectory(dir.resolve("folder.safetensors"));
        assertEquals("cannot load " + folder + " into Linear: it is a folder, not a file",
                assertThrows(FileNotFoundException.class, () -> model().load(folder)).getMessage());
        assertEquals("cannot read " + missing + ": no such file",
                assertThrows(FileNotFoundException.class, () -> SafeTensors.read(missing, Backends.ejml())).getMessage());
    }

    @Test
    void aHugeTensorInASparseFileIsRefusedWithinASmallHeap() throws Exception {
        // a legal file of 1.6 GB (sparse on disk): one 20000 x 20000 F32 tensor and the bias
        String json = "{" + BIAS + ",\"weight\":{\"dtype\":\"F32\",\"shape\":[20000,20000],\"data_offsets\":[16,1600000016]}}";
        Path f = Craft.safetensors(dir.resolve("huge.safetensors"), json, new byte[0]);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(8 + json.length() + 1_600_000_016L);
        }
        ChildJvm.Result load = ChildJvm.run("64m", false, dir, "load", f.toString());
        assertEquals("IllegalArgumentException: cannot load " + f + " into Linear: entry 'weight' is FLOAT32 [20000, 20000]"
                + " but the parameter weight is FLOAT32 [4, 4]", load.line("REFUSED"), load.output());
        assertEquals("true", load.line("UNCHANGED"), load.output());
        ChildJvm.Result read = ChildJvm.run("64m", false, dir, "read", f.toString());
        assertTrue(read.line("REFUSED").startsWith("SafeTensorsFormatException: cannot read " + f + ": its entries declare"
                + " 1.5 GiB of data (the largest, 'weight', FLOAT32 [20000, 20000], 1.5 GiB)"), read.output());
        Files.delete(f);
    }
}
