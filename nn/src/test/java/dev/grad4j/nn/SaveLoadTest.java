package dev.grad4j.nn;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.io.Npz;
import dev.grad4j.autograd.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npz save/load: round trips, across backends, files numpy wrote, and refusals that leave the model unchanged. */
class SaveLoadTest {

    @TempDir
    Path dir;

    private static Sequential mlp(Backend b, long seed) {
        return Sequential.of(Linear.builder(3, 4).backend(b).seed(seed).build(), new Tanh(),
                Linear.builder(4, 2).backend(b).seed(seed + 1).build());
    }

    private static float[] flat(Layer m) {
        float[][] parts = m.parameters().stream().map(p -> p.data().toFloatArray()).toArray(float[][]::new);
        int n = Arrays.stream(parts).mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("dev.grad4j.autograd.Backends#all")
    void roundTrip(Backend b) throws IOException {
        Sequential a = mlp(b, 1);
        Path f = dir.resolve("model.npz");
        a.save(f);
        Sequential c = mlp(b, 100);
        c.load(f);
        assertArrayEquals(flat(a), flat(c));
    }

    @Test
    void aFileWrittenByOneBackendLoadsOnTheOther() throws IOException {
        Sequential onEjml = mlp(Backends.get("ejml"), 1);
        Path f = dir.resolve("cross.npz");
        onEjml.save(f);
        Sequential onNd4j = mlp(Backends.get("nd4j"), 50);
        onNd4j.load(f);
        assertArrayEquals(flat(onEjml), flat(onNd4j));
        Path back = dir.resolve("back.npz");
        onNd4j.save(back);
        Sequential again = mlp(Backends.get("ejml"), 60);
        again.load(back);
        assertArrayEquals(flat(onEjml), flat(again));
    }

    @Test
    void readsAnArchiveNumpyWrote() throws IOException {
        Path f = dir.resolve("numpy.npz");
        try (InputStream in = getClass().getResourceAsStream("/golden/numpy_written.npz")) {
            Files.copy(in, f);
        }
        Map<String, Tensor> t = Npz.read(f, Backends.ejml());
        assertEquals(List.of("weight", "bias", "scalar"), List.copyOf(t.keySet()));
        assertEquals(DType.FLOAT32, t.get("weight").dtype());
        assertEquals(Shape.of(2, 3), t.get("weight").shape());
        assertArrayEquals(new float[]{0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, t.get("weight").toFloatArray());
        assertEquals(DType.FLOAT64, t.get("bias").dtype());
        assertArrayEquals(new double[]{-1.5, 2.25}, t.get("bias").toDoubleArray());
        assertEquals(Shape.scalar(), t.get("scalar").shape());
        assertEquals(3.5, t.get("scalar").item());
    }

    @Test
    void aTruncatedFileIsRefusedAndTheModelKeepsItsWeights() throws IOException {
        Backend b = Backends.ejml();
        Path f = dir.resolve("m.npz");
        mlp(b, 1).save(f);
        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Sequential m = mlp(b, 9);
        float[] before = flat(m);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.load(cut));
        assertTrue(e.getMessage().contains("cut.npz"), e.getMessage());
        assertArrayEquals(before, flat(m));
    }

    @Test
    void anotherArchitectureIsRefusedAndTheModelKeepsItsWeights() throws IOException {
        Backend b = Backends.ejml();
        Path f = dir.resolve("other.npz");
        Sequential.of(Linear.builder(3, 5).backend(b).build(), new Tanh(), Linear.builder(5, 2).backend(b).build()).save(f);
        Sequential m = mlp(b, 9);
        float[] before = flat(m);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.load(f));
        assertTrue(e.getMessage().contains("0.weight") && e.getMessage().contains("[4, 3]")
                && e.getMessage().contains("[5, 3]"), e.getMessage());
        assertArrayEquals(before, flat(m));

        Path fewer = dir.resolve("fewer.npz");
        Linear.builder(3, 4).backend(b).build().save(fewer);
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class, () -> m.load(fewer));
        assertTrue(names.getMessage().contains("missing [0.bias, 0.weight, 2.bias, 2.weight]")
                && names.getMessage().contains("unexpected [bias, weight]"), names.getMessage());
        assertArrayEquals(before, flat(m));
    }

    @Test
    void aDtypeMismatchIsRefused() throws IOException {
        Backend b = Backends.ejml();
        Path f = dir.resolve("f64.npz");
        Linear.builder(3, 4).backend(b).dtype(DType.FLOAT64).build().save(f);
        Linear l = Linear.builder(3, 4).backend(b).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.load(f));
        assertTrue(e.getMessage().contains("FLOAT32") && e.getMessage().contains("FLOAT64"), e.getMessage());
    }

    @Test
    void writesAreAtomicAndLeaveNoTemporaryFiles() throws IOException {
        Backend b = Backends.ejml();
        Path f = dir.resolve("atomic.npz");
        mlp(b, 1).save(f);
        mlp(b, 2).save(f);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("atomic.npz"), files.map(p -> p.getFileName().toString()).toList());
        }
        Sequential m = mlp(b, 5);
        m.load(f);
        assertArrayEquals(flat(mlp(b, 2)), flat(m));
    }
}
