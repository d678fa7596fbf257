package dev.grad4j.train;

import dev.grad4j.api.io.Npz;
import dev.grad4j.data.Dataset;
import dev.grad4j.data.Split;
import dev.grad4j.nn.Losses;
import dev.grad4j.nn.Sequential;
import dev.grad4j.optim.Adam;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.grad4j.Grad4j.*;
import static dev.grad4j.nn.Layers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run resumed from a checkpoint ends with the weights of a run that was never interrupted, to
 * the bit: in this JVM (stopped by a callback) and in a child JVM killed mid-epoch.
 */
class ResumeTest {

    static final int EPOCHS = 6;

    @TempDir
    Path dir;

    /** The run every test repeats: a dropout MLP with Adam on seeded blobs, early stopping watching. */
    static Trainer trainer(Sequential model) {
        return Trainer.of(model, Adam.of(model.parameters(), 0.01), Losses::crossEntropy).epochs(EPOCHS).batchSize(16)
                .earlyStopping("valLoss", 100).silent();
    }

    static Sequential model() {
        return sequential(linear(4, 32), relu(), dropout(0.2), linear(32, 3));
    }

    static Split data() {
        return Problems.blobs(240, 3, 11).stratifiedSplit(5, 0.8, 0.2);
    }

    static double[] weights(Sequential m) {
        List<Double> all = new ArrayList<>();
        m.parameters().forEach(p -> {
            for (double v : p.toDoubleArray()) {
                all.add(v);
            }
        });
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "simd"})
    void aRunStoppedAndResumedEndsWithTheUninterruptedWeights(String backend) throws IOException {
        double[] uninterrupted;
        List<EpochRecord> full;
        try (var env = using(backend).seed(1)) {
            Split d = data();
            Sequential m = model();
            full = trainer(m).fit(d.train(), d.validation()).history();
            uninterrupted = weights(m);
        }
        Path ck = dir.resolve(backend + ".ckpt.npz");
        try (var env = using(backend).seed(1)) {
            Split d = data();
            Sequential m = model();
            Callback stopAfterThree = new Callback() {
                @Override
                public void onEpochEnd(FitState run) {
                    if (run.epoch() == 2) {
                        run.stop("test: interrupted");
                    }
                }
            };
            FitResult first = trainer(m).checkpoints(ck, 2).callbacks(stopAfterThree).fit(d.train(), d.validation());
            assertEquals(3, first.history().size());
        }
        try (var env = using(backend).seed(1)) {
            Split d = data();
            Sequential m = model();
            FitResult resumed = trainer(m).resumeFrom(ck).fit(d.train(), d.validation());
            assertArrayEquals(uninterrupted, weights(m), "resumed weights equal the uninterrupted run's, bit for bit");
            assertEquals(EPOCHS, resumed.history().size(), "the history carries over");
            for (int e = 0; e < EPOCHS; e++) {
                assertEquals(full.get(e).trainLoss(), resumed.history().get(e).trainLoss(), "epoch " + e + " train loss");
                assertEquals(full.get(e).valLoss(), resumed.history().get(e).valLoss(), "epoch " + e + " val loss");
                assertEquals(full.get(e).parameters(), resumed.history().get(e).parameters(), "epoch " + e + " health");
                assertEquals(full.get(e).weights(), resumed.history().get(e).weights(), "epoch " + e + " histograms");
            }
        }
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedAndTheModelKeepsItsWeights() throws IOException {
        Path ck = dir.resolve("ck.npz");
        try (var env = using("ejml").seed(1)) {
            Split d = data();
            trainer(model()).epochs(1).checkpoints(ck, 1).fit(d.train(), d.validation());
            Sequential other = sequential(linear(4, 16), relu(), dropout(0.2), linear(16, 3));
            double[] before = weights(other);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trainer(other).resumeFrom(ck).fit(d.train(), d.validation()));
            assertTrue(e.getMessage().contains("cannot resume from " + ck) && e.getMessage().contains("the model is unchanged")
                    && e.getMessage().contains("[16, 4]"), e.getMessage());
            assertArrayEquals(before, weights(other));
            Files.writeString(dir.resolve("not.npz"), "hello");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> trainer(model()).resumeFrom(dir.resolve("not.npz")).fit(d.train(), d.validation()));
            assertTrue(bad.getMessage().contains("not.npz"), bad.getMessage());
        }
    }

    // ------------------------------------------------------------------ a killed child JVM

    /** The child: trains with a checkpoint after every epoch, slowly enough to be killed mid-epoch. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path ck = Path.of(args[0]);
            long pauseMs = Long.parseLong(args[1]);
            try (var env = using(args[2]).seed(1)) {
                Split d = data();
                Sequential m = model();
                Callback slow = new Callback() {
                    @Override
                    public void onBatchEnd(FitState run) {
                        try {
                            Thread.sleep(pauseMs);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void onEpochEnd(FitState run) {
                        System.out.println("epoch " + run.epoch() + " done");
                        System.out.flush();
                    }
                };
                Trainer t = trainer(m).checkpoints(ck, 1).callbacks(slow);
                if (args.length > 3) {
                    t.resumeFrom(ck);
                }
                t.fit(d.train(), d.validation());
                Npz.write(Path.of(args[0] + ".final.npz"), m.stateDict());
            }
        }
    }

    private static Process child(String backend, Path ck, long pauseMs, boolean resume) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), ck.toString(), Long.toString(pauseMs),
                backend));
        if (resume) {
            cmd.add("resume");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        return pb.start();
    }

    /**
     * The child JVM's JIT has compiled nothing the parent had: on simd this also checks that the
     * kernels give the same bits whatever the JIT did (docs/DESIGN-NOTES.md).
     */
    @ParameterizedTest
    @ValueSource(strings = {"ejml", "simd"})
    @Tag("slow")
    void aChildKilledMidEpochResumesToTheUninterruptedWeights(String backend) throws Exception {
        double[] uninterrupted;
        try (var env = using(backend).seed(1)) {
            Split d = data();
            Sequential m = model();
            trainer(m).fit(d.train(), d.validation());
            uninterrupted = weights(m);
        }
        Path ck = dir.resolve(backend + ".child.ckpt.npz");
        Process p = child(backend, ck, 15, false);
        // wait for the second epoch's checkpoint, then kill in the middle of the third epoch
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.equals("epoch 1 done")) {
                break;
            }
        }
        assertTrue(seen.toString().contains("epoch 1 done"), "the child printed:\n" + seen);
        Thread.sleep(100);
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(Path.of(ck + ".final.npz")), "the child was killed before it finished");

        Process resumed = child(backend, ck, 0, true);
        String printed = new String(resumed.getInputStream().readAllBytes());
        assertTrue(resumed.waitFor(120, TimeUnit.SECONDS), printed);
        assertEquals(0, resumed.exitValue(), printed);
        assertFalse(printed.contains("epoch 0 done") || printed.contains("epoch 1 done"),
                "the resumed run starts after the last checkpoint:\n" + printed);
        try (var env = using(backend)) {
            Sequential m = model();
            m.loadStateDict(Npz.read(Path.of(ck + ".final.npz"), backend()));
            assertArrayEquals(uninterrupted, weights(m), "the killed and resumed run ends with the uninterrupted weights");
        }
    }

    @Test
    @Tag("slow")
    void aCheckpointBeingWrittenWhenTheProcessDiesNeverReplacesTheLastGoodOne() throws Exception {
        Path ck = dir.resolve("kills.ckpt.npz");
        for (int trial = 0; trial < 4; trial++) {
            Process p = child("ejml", ck, 0, false);
            Thread.sleep(1200 + 150L * trial);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            if (Files.exists(ck)) {
                try (var env = using("ejml")) {
                    // every time the process died, the file under the checkpoint's name is a whole checkpoint
                    Checkpoint.read(ck, backend()).shuffleSeed();
                }
            }
            try (var files = Files.list(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".tmp")).forEach(f -> {
                    try {
                        Files.delete(f);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
