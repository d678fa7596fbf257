package dev.grad4j.api.io;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** What the weights readers share: opening a file with clear errors, shape limits, the heap check, reading data. */
final class WeightFiles {

    /** The most elements a Java array (and so a tensor) can hold. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private WeightFiles() {
    }

    /**
     * Refuses, naming the path, a file that does not exist, is a folder or cannot be read (as
     * {@link FileNotFoundException}s, as {@code FileInputStream} does, but with a message a user can act on).
     */
    static void checkReadable(Path file) throws FileNotFoundException {
        if (!Files.exists(file)) {
            throw new FileNotFoundException("cannot read " + file + ": no such file"
                    + (file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath() + ")"));
        }
        if (Files.isDirectory(file)) {
            throw new FileNotFoundException("cannot read " + file + ": it is a folder, not a file");
        }
        if (!Files.isReadable(file)) {
            throw new FileNotFoundException("cannot read " + file + ": permission denied");
        }
    }

    /**
     * The shape of dims read from a file, or an error (made by {@code error}) when a dimension is
     * negative or the element count is beyond what a Java array holds.
     */
    static Shape shape(long[] dims, String where, Function<String, RuntimeException> error) {
        long n = 1;
        boolean overflow = false;
        for (long d : dims) {
            if (d < 0) {
                throw error.apply(where + " has a negative dimension in its shape " + java.util.Arrays.toString(dims));
            }
        }
        for (long d : dims) {
            if (d == 0) {
                n = 0;
                overflow = false;
                break;
            }
            if (!overflow) {
                try {
                    n = Math.multiplyExact(n, d);
                } catch (ArithmeticException e) {
                    overflow = true;
                }
            }
        }
        if (overflow || n > MAX_ELEMENTS) {
            throw error.apply(where + " declares shape " + java.util.Arrays.toString(dims) + " of "
                    + (overflow ? "more than 2^63" : Long.toString(n)) + " elements, more than a tensor can hold (" + MAX_ELEMENTS + ")");
        }
        int[] d = new int[dims.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (int) dims[i];
        }
        return Shape.of(d);
    }

    /**
     * Refuses entries that together need more heap than this JVM has left. Reading an entry takes
     * twice its size for a moment (the array read and the backend's copy), so that is what is
     * compared with the free heap ({@code maxMemory} less what is in use).
     */
    static void checkHeap(Path file, Map<String, TensorInfo> infos, Function<String, RuntimeException> error) {
        long total = 0;
        TensorInfo largest = null;
        for (TensorInfo t : infos.values()) {
            total += t.byteCount();
            if (largest == null || t.byteCount() > largest.byteCount()) {
                largest = t;
            }
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (total > free / 2) {
            throw error.apply("cannot read " + file + ": its entries declare " + bytes(total) + " of data (the largest, '"
                    + largest.name() + "', " + largest.describe() + ", " + bytes(largest.byteCount())
                    + "), more than this JVM can read with " + bytes(free) + " of heap free (reading takes twice the size); "
                    + "raise -Xmx if the file is what you meant to read");
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Thrown by {@link #readData} when the stream ends before the declared bytes. */
    static final class Truncated extends IOException {
        private static final long serialVersionUID = 1L;
        final long got;

        Truncated(long got) {
            super("truncated after " + got + " bytes");
            this.got = got;
        }
    }

    /**
     * Reads exactly {@code info.byteCount()} bytes of {@code order}-ordered data from {@code in}
     * into a tensor on {@code backend}, never more (what comes after is the caller's to check).
     *
     * @throws Truncated when the stream ends early
     */
    static Tensor readData(InputStream in, TensorInfo info, ByteOrder order, Backend backend) throws IOException {
        int n = info.shape().size();
        int width = info.dtype().bytes();
        byte[] chunk = new byte[Math.max(width, Math.min(1 << 16, n * width))];
        float[] f = info.dtype() == DType.FLOAT32 ? new float[n] : null;
        double[] d = f == null ? new double[n] : null;
        long got = 0;
        int done = 0;
        while (done < n) {
            int want = (int) Math.min(chunk.length / width, n - done) * width;
            int r = in.readNBytes(chunk, 0, want);
            got += r;
            if (r < want) {
                throw new Truncated(got);
            }
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, r).order(order);
            int k = r / width;
            if (f != null) {
                b.asFloatBuffer().get(f, done, k);
            } else {
                b.asDoubleBuffer().get(d, done, k);
            }
            done += k;
        }
        return f != null ? backend.fromArray(f, info.shape()) : backend.fromArray(d, info.shape());
    }
}
