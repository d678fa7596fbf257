package dev.grad4j.data;

import dev.grad4j.api.DType;
import dev.grad4j.api.Defaults;
import dev.grad4j.api.Tensor;
import dev.grad4j.api.io.Npz;
import dev.grad4j.autograd.Variable;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Datasets from NumPy {@code .npz} files (CSV files: {@link Csv}):
 *
 * <pre>{@code
 * Dataset d = Datasets.npz(Path.of("mnist.npz"), "x", "y");   // numpy.savez("mnist.npz", x=x, y=y)
 * }</pre>
 *
 * <p>The arrays are read with {@link Npz} (float32 or float64, C order: save integer labels with
 * {@code y.astype("float32")}) onto the defaults scope's backend and converted to its dtype.
 */
public final class Datasets {

    private Datasets() {
    }

    /**
     * The features in array {@code features} ({@code (N, F)}) and the labels in array
     * {@code labels} of the {@code .npz} file. Labels of shape {@code (N)} that are all whole numbers
     * {@code >= 0} are class indices ({@code max + 1} classes); any other labels ({@code (N)} or
     * {@code (N, T)}) are regression targets (see {@link Dataset#asRegression()} to take whole
     * numbers as targets).
     *
     * @throws DataFileException for a missing file, a directory, or a missing array (naming the arrays there are)
     * @throws Npz.NpzFormatException for a file that is not a readable {@code .npz}, naming the entry
     * @throws IllegalArgumentException for arrays of the wrong shapes, naming both
     */
    public static Dataset npz(Path file, String features, String labels) {
        Objects.requireNonNull(labels, "labels must not be null");
        Map<String, Tensor> arrays = read(file);
        String name = file.toString();
        Variable x = array(arrays, name, features);
        checkFeatures(name, features, x);
        Variable y = array(arrays, name, labels);
        int n = x.shape().dim(0);
        if (y.rank() < 1 || y.rank() > 2 || y.shape().dim(0) != n) {
            throw new DataFileException(name, name + ": labels '" + labels + "' " + y.shape() + " do not match features '"
                    + features + "' " + x.shape() + ": expected (" + n + ") class indices or (" + n + ", T) targets");
        }
        if (y.rank() == 1) {
            int[] classes = wholeNonNegative(y.data().toDoubleArray());
            if (classes != null) {
                return Dataset.classification(x, classes);
            }
        }
        return Dataset.regression(x, y);
    }

    /**
     * The features in array {@code features} ({@code (N, F)}) of the {@code .npz} file, without labels.
     *
     * @throws DataFileException for a missing file, a directory, or a missing array
     */
    public static Dataset npz(Path file, String features) {
        Map<String, Tensor> arrays = read(file);
        Variable x = array(arrays, file.toString(), features);
        checkFeatures(file.toString(), features, x);
        return Dataset.unlabeled(x);
    }

    private static Map<String, Tensor> read(Path file) {
        Objects.requireNonNull(file, "file must not be null");
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new DataFileException(name, "cannot read " + name + ": no such file"
                    + (file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath() + ")"));
        }
        if (Files.isDirectory(file)) {
            throw new DataFileException(name, "cannot read " + name + ": it is a directory, not an .npz file");
        }
        try {
            return Npz.read(file, Defaults.backend());
        } catch (FileNotFoundException e) {
            // Npz says which: no such file, a folder, or permission denied, naming the path
            throw new DataFileException(name, e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e, e);
        }
    }

    private static Variable array(Map<String, Tensor> arrays, String file, String key) {
        Objects.requireNonNull(key, "array name must not be null");
        String k = key.endsWith(".npy") ? key.substring(0, key.length() - 4) : key;
        Tensor t = arrays.get(k);
        if (t == null) {
            throw new DataFileException(file, file + " has no array '" + key + "' (arrays: "
                    + String.join(", ", arrays.keySet()) + ")");
        }
        DType d = Defaults.dtype();
        return Variable.of(t.dtype() == d ? t : t.to(d));
    }

    private static void checkFeatures(String file, String key, Variable x) {
        if (x.rank() != 2) {
            throw new DataFileException(file, file + ": features '" + key + "' must be (N, F), one row per example, got "
                    + x.shape() + (x.rank() > 2 ? " (flatten each example first: x.reshape(len(x), -1) in NumPy)" : ""));
        }
    }

    /** The values as class indices if they are all whole numbers in {@code [0, MAX_CLASSES)}, else null. */
    static int[] wholeNonNegative(double[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0) || v[i] != Math.rint(v[i]) || v[i] >= Csv.MAX_CLASSES) {
                return null;
            }
            out[i] = (int) v[i];
        }
        return out;
    }
}
