package dev.grad4j.backend.simd;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared pool: every task runs once, failures reach the caller, callers do not disturb each other, and results do not depend on the thread count. */
class ParallelTest {

    @Test
    void everyTaskRunsExactlyOnce() {
        for (int tasks : new int[]{0, 1, 2, 3, 17, 1000}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(tasks);
            Parallel.run(tasks, seen::incrementAndGet);
            for (int t = 0; t < tasks; t++) {
                assertEquals(1, seen.get(t), "task " + t + " of " + tasks);
            }
        }
    }

    @Test
    void aFailingTaskReachesTheCallerAndThePoolKeepsWorking() {
        IllegalStateException boom = new IllegalStateException("task 5 failed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.run(64, t -> {
            if (t == 5) {
                throw boom;
            }
        }));
        assertSame(boom, e);
        AtomicIntegerArray seen = new AtomicIntegerArray(64);
        Parallel.run(64, seen::incrementAndGet);
        for (int t = 0; t < 64; t++) {
            assertEquals(1, seen.get(t));
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        Backend be = new SimdBackend();
        int callers = 4;
        List<Tensor[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Tensor a = be.randn(Shape.of(150 + i, 300), DType.FLOAT32, 10 + i);
            Tensor b = be.randn(Shape.of(300, 170), DType.FLOAT32, 20 + i);
            inputs.add(new Tensor[]{a, b});
            expected.add(a.matmul(b).toFloatArray());
        }
        ExecutorService users = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Tensor[] in = inputs.get(i);
                float[] want = expected.get(i);
                Callable<Boolean> job = () -> {
                    for (int rep = 0; rep < 20; rep++) {
                        if (!Arrays.equals(want, in[0].matmul(in[1]).toFloatArray())) {
                            return false;
                        }
                    }
                    return true;
                };
                results.add(users.submit(job));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get(120, TimeUnit.SECONDS), "a concurrent product differed from the same product run alone");
            }
        } finally {
            users.shutdownNow();
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() throws Exception {
        float[] here = ThreadCountMain.product();
        for (String threads : new String[]{"1", "3"}) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Dgrad4j.threads=" + threads, "-cp", cp,
                    ThreadCountMain.class.getName()).redirectErrorStream(true).start();
            String out = readAll(p);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            String line = out.lines().filter(l -> l.startsWith("threads ")).findFirst().orElse("(no result line) " + out);
            assertEquals("threads " + threads + " bits " + ThreadCountMain.bits(here), line,
                    "the same product with grad4j.threads=" + threads + " and with " + Parallel.threads());
        }
    }

    private static String readAll(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** A product big enough for tiles, A-packing chunks and K-blocks, computed with this JVM's thread count. */
    public static final class ThreadCountMain {

        private ThreadCountMain() {
        }

        static float[] product() {
            Backend be = new SimdBackend();
            Tensor a = be.randn(Shape.of(300, 700), DType.FLOAT32, 1);
            Tensor b = be.randn(Shape.of(520, 700), DType.FLOAT32, 2);
            return a.matmul(b, false, true).toFloatArray();
        }

        /** A digest of the exact bits. */
        static String bits(float[] v) {
            int[] raw = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                raw[i] = Float.floatToRawIntBits(v[i]);
            }
            return Integer.toHexString(Arrays.hashCode(raw)) + "/" + v.length;
        }

        public static void main(String[] args) {
            System.out.println("threads " + Parallel.threads() + " bits " + bits(product()));
        }
    }
}
