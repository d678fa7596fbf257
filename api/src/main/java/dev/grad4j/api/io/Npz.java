package dev.grad4j.api.io;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Named tensors in NumPy's {@code .npz} format: a zip archive with one {@code NAME.npy} per tensor
 * (format version 1.0, little-endian {@code <f4}/{@code <f8}, C order), which {@code numpy.load}
 * reads as a dict-like of arrays.
 *
 * <p>{@link #write} is atomic: it writes a temporary file beside the target and renames it, so a
 * crash never leaves a half-written file under the target's name. {@link #read} parses and checks
 * everything before returning; a truncated or malformed file gives an {@link NpzFormatException}
 * naming the file and the entry.
 */
public final class Npz {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    /** Thrown for a file that is not a readable {@code .npz} of float arrays. */
    public static final class NpzFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public NpzFormatException(String message) {
            super(message);
        }
    }

    /**
     * Writes {@code tensors} (in map order) to {@code file}, atomically ({@link AtomicFile}: the
     * previous file stays if anything fails; links are followed; permissions are kept; the folder
     * must exist).
     */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        for (String name : tensors.keySet()) {
            checkName(name);
        }
        AtomicFile.write(file, os -> {
            ZipOutputStream zip = new ZipOutputStream(os);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                writeNpy(zip, e.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("invalid tensor name for .npz: '" + name + "'");
        }
    }

    /** One array in {@code .npy} format. */
    public static void writeNpy(OutputStream out, Tensor t) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        int[] dims = t.shape().dims();
        for (int i = 0; i < dims.length; i++) {
            shape.append(dims[i]).append(dims.length == 1 ? "," : i < dims.length - 1 ? ", " : "");
        }
        shape.append(')');
        String descr = t.dtype() == DType.FLOAT32 ? "<f4" : "<f8";
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(new byte[]{1, 0});
        out.write(header.length() & 0xff);
        out.write((header.length() >> 8) & 0xff);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer buf;
        if (t.dtype() == DType.FLOAT32) {
            float[] v = t.toFloatArray();
            buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(v);
        } else {
            double[] v = t.toDoubleArray();
            buf = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            buf.asDoubleBuffer().put(v);
        }
        out.write(buf.array());
    }

    /** Reads every array of {@code file} into tensors on {@code backend}, in archive order. */
    public static Map<String, Tensor> read(Path file, Backend backend) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        ZipFile zf;
        try {
            zf = new ZipFile(file.toFile());
        } catch (NoSuchFileException e) {
            throw e;
        } catch (ZipException e) {
            throw new NpzFormatException("cannot read " + file + ": not a valid .npz (zip) archive (" + e.getMessage() + ")");
        }
        try (zf) {
            List<? extends ZipEntry> entries = list(zf);
            for (ZipEntry e : entries) {
                String name = e.getName();
                if (!name.endsWith(".npy")) {
                    throw new NpzFormatException("cannot read " + file + ": entry '" + name + "' is not an .npy array");
                }
                try (InputStream in = zf.getInputStream(e)) {
                    out.put(name.substring(0, name.length() - 4), readNpy(in, backend, file + ":" + name));
                } catch (ZipException ze) {
                    throw new NpzFormatException("cannot read " + file + ": entry '" + name + "' is corrupt (" + ze.getMessage() + ")");
                }
            }
        }
        return out;
    }

    private static List<? extends ZipEntry> list(ZipFile zf) {
        List<ZipEntry> l = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
            l.add(en.nextElement());
        }
        return l;
    }

    /** One {@code .npy} array; {@code where} names it in error messages. */
    public static Tensor readNpy(InputStream in, Backend backend, String where) throws IOException {
        byte[] all = readAll(in);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 10) {
            throw new NpzFormatException(where + ": truncated .npy (" + all.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (all[i] != MAGIC[i]) {
                throw new NpzFormatException(where + ": not an .npy array (bad magic)");
            }
        }
        int major = all[6];
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(b.getShort(8));
            offset = 10;
        } else if (major == 2 || major == 3) {
            headerLen = b.getInt(8);
            offset = 12;
        } else {
            throw new NpzFormatException(where + ": unsupported .npy version " + major);
        }
        if (offset + headerLen > all.length) {
            throw new NpzFormatException(where + ": truncated .npy header");
        }
        String header = new String(all, offset, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new NpzFormatException(where + ": malformed .npy header " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new NpzFormatException(where + ": Fortran-order arrays are not supported");
        }
        String descr = d.group(1);
        DType dtype = switch (descr) {
            case "<f4" -> DType.FLOAT32;
            case "<f8" -> DType.FLOAT64;
            default -> throw new NpzFormatException(where + ": unsupported dtype '" + descr + "' (grad4j reads <f4 and <f8)");
        };
        List<Integer> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    dims.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new NpzFormatException(where + ": bad shape (" + s.group(1) + ")");
                }
            }
        }
        Shape shape = Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
        int data = offset + headerLen;
        long need = (long) shape.size() * dtype.bytes();
        if (all.length - data != need) {
            throw new NpzFormatException(where + ": expected " + need + " bytes of data for " + dtype + " " + shape
                    + ", found " + (all.length - data));
        }
        b.position(data);
        if (dtype == DType.FLOAT32) {
            float[] v = new float[shape.size()];
            b.asFloatBuffer().get(v);
            return backend.fromArray(v, shape);
        }
        double[] v = new double[shape.size()];
        b.asDoubleBuffer().get(v);
        return backend.fromArray(v, shape);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        in.transferTo(bos);
        return bos.toByteArray();
    }
}
