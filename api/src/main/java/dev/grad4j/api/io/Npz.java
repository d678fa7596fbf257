package dev.grad4j.api.io;

import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
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
 * <p>{@link #write} is atomic ({@link AtomicFile}): it writes a temporary file beside the target and
 * renames it, so a crash never leaves a half-written file under the target's name.
 *
 * <p>Reading never trusts the file: the zip directory and every entry's {@code .npy} header are
 * read and checked first (names, dtypes, shapes, and declared sizes against what the entries hold),
 * then handed to a check ({@link #read(Path, Backend, Consumer)}) before any data is inflated, and
 * each entry's data is read up to its declared size and no further. A truncated, malformed or
 * oversized file gives an {@link NpzFormatException} naming the file and the entry; a missing file,
 * a folder or an unreadable file a {@link java.io.FileNotFoundException} naming the path.
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

    /** The most bytes an {@code .npy} header may take (numpy writes about 120; format 1.0 allows 65535). */
    public static final int MAX_HEADER_BYTES = 65535;

    /**
     * Reads every array of {@code file} into tensors on {@code backend}, in archive order.
     *
     * <p>Nothing is inflated before every entry's {@code .npy} header has been read and checked: a
     * name ending in {@code .npy} (no other entries, no duplicates), a float dtype, a shape of at
     * most {@link Integer#MAX_VALUE} - 8 elements, and a data size (shape times dtype size) equal to
     * what the zip directory says the entry holds. Together the declared sizes must fit in the free
     * heap twice over (an array and the backend's copy of it), or the file is refused before
     * anything is allocated: without a model to compare with, that is the only bound a reader has.
     * Each entry's data is then read up to its declared size and no further; an entry holding more
     * (a compression bomb whose zip directory lies) or less (truncated) is refused.
     *
     * @throws java.io.FileNotFoundException naming the path: no such file, a folder, or not readable
     * @throws NpzFormatException            naming the file and the entry, for anything malformed
     */
    public static Map<String, Tensor> read(Path file, Backend backend) throws IOException {
        return read(file, backend, infos -> WeightFiles.checkHeap(file, infos, NpzFormatException::new));
    }

    /**
     * Reads {@code file} like {@link #read(Path, Backend)}, but hands the headers of all its
     * entries (names without {@code .npy}, dtypes and shapes, in archive order) to {@code check}
     * before any data is inflated or any array allocated; {@code check} refuses the file by
     * throwing. A model loading its weights passes a check that compares every entry with its
     * parameters, so a file of the wrong shapes costs nothing to refuse. The heap check of
     * {@link #read(Path, Backend)} is not made: the caller's check bounds the sizes.
     */
    public static Map<String, Tensor> read(Path file, Backend backend, Consumer<Map<String, TensorInfo>> check)
            throws IOException {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(check, "check");
        try (ZipFile zf = open(file)) {
            List<Entry> entries = entries(file, zf);
            Map<String, TensorInfo> infos = new LinkedHashMap<>();
            entries.forEach(e -> infos.put(e.header.info.name(), e.header.info));
            check.accept(Collections.unmodifiableMap(infos));
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Entry e : entries) {
                out.put(e.header.info.name(), data(file, zf, e, backend));
            }
            return out;
        }
    }

    /**
     * The headers of every array in {@code file} (names without {@code .npy}), in archive order,
     * checked as {@link #read(Path, Backend)} checks them; no data is read.
     */
    public static Map<String, TensorInfo> headers(Path file) throws IOException {
        try (ZipFile zf = open(file)) {
            Map<String, TensorInfo> infos = new LinkedHashMap<>();
            for (Entry e : entries(file, zf)) {
                infos.put(e.header.info.name(), e.header.info);
            }
            return infos;
        }
    }

    private record Header(TensorInfo info, long headerBytes) {
    }

    private record Entry(ZipEntry zip, Header header) {
    }

    private static ZipFile open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        WeightFiles.checkReadable(file);
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new NpzFormatException("cannot read " + file + ": not a valid .npz (zip) archive (" + e.getMessage() + ")");
        } catch (java.nio.file.AccessDeniedException | java.io.FileNotFoundException e) {
            throw new java.io.FileNotFoundException("cannot read " + file + ": permission denied");
        }
    }

    /** Every entry's header, checked against the zip directory; no data is inflated. */
    private static List<Entry> entries(Path file, ZipFile zf) throws IOException {
        List<Entry> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
            ZipEntry z = en.nextElement();
            String name = z.getName();
            String where = "cannot read " + file + ": entry '" + name + "'";
            if (!name.endsWith(".npy") || z.isDirectory()) {
                throw new NpzFormatException(where + " is not an .npy array (an .npz holds NAME.npy entries only)");
            }
            if (!seen.add(name)) {
                throw new NpzFormatException(where + " appears twice");
            }
            String arrayName = name.substring(0, name.length() - 4);
            Header h;
            try (InputStream in = zf.getInputStream(z)) {
                h = readHeader(in, arrayName, where);
            } catch (ZipException | EOFException ze) {
                throw new NpzFormatException(where + " is corrupt (" + ze.getMessage() + ")");
            }
            long declared = h.headerBytes + h.info.byteCount();
            long holds = z.getSize();
            if (holds >= 0 && holds != declared) {
                throw new NpzFormatException(where + (holds < declared ? " is truncated" : " has bytes beyond its array")
                        + ": its .npy header declares " + h.info.describe() + " (" + h.info.byteCount()
                        + " bytes of data) but the entry holds " + (holds - h.headerBytes) + " bytes of data");
            }
            out.add(new Entry(z, h));
        }
        return out;
    }

    private static Tensor data(Path file, ZipFile zf, Entry e, Backend backend) throws IOException {
        String where = "cannot read " + file + ": entry '" + e.zip.getName() + "'";
        TensorInfo info = e.header.info;
        try (InputStream in = zf.getInputStream(e.zip)) {
            Header again = readHeader(in, info.name(), where);
            if (!again.equals(e.header)) {
                throw new NpzFormatException(where + " changed while it was being read");
            }
            Tensor t;
            try {
                t = WeightFiles.readData(in, info, ByteOrder.LITTLE_ENDIAN, backend);
            } catch (WeightFiles.Truncated x) {
                throw new NpzFormatException(where + " is truncated: its .npy header declares " + info.describe() + " ("
                        + info.byteCount() + " bytes of data) but it holds " + x.got);
            }
            if (in.read() != -1) {
                throw new NpzFormatException(where + " inflates to more data than its .npy header declares ("
                        + info.describe() + ", " + info.byteCount() + " bytes): refused, the file is corrupt or a "
                        + "compression bomb");
            }
            return t;
        } catch (ZipException | EOFException ze) {
            throw new NpzFormatException(where + " is corrupt (" + ze.getMessage() + ")");
        }
    }

    /** Reads an {@code .npy} header and nothing more; {@code where} starts every error message. */
    private static Header readHeader(InputStream in, String name, String where) throws IOException {
        byte[] pre = in.readNBytes(8);
        if (pre.length < 8) {
            throw new NpzFormatException(where + " is truncated: " + pre.length + " bytes, not an .npy array");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre[i] != MAGIC[i]) {
                throw new NpzFormatException(where + " is not an .npy array (bad magic)");
            }
        }
        int major = pre[6];
        if (major < 1 || major > 3) {
            throw new NpzFormatException(where + " has unsupported .npy version " + major + "." + pre[7]);
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lb = in.readNBytes(lenBytes);
        if (lb.length < lenBytes) {
            throw new NpzFormatException(where + " is truncated in its .npy header");
        }
        long headerLen = major == 1 ? Short.toUnsignedInt(ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN).getShort())
                : Integer.toUnsignedLong(ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (headerLen > MAX_HEADER_BYTES) {
            throw new NpzFormatException(where + " has an .npy header of " + headerLen + " bytes (at most "
                    + MAX_HEADER_BYTES + " are read)");
        }
        byte[] hb = in.readNBytes((int) headerLen);
        if (hb.length < headerLen) {
            throw new NpzFormatException(where + " is truncated in its .npy header");
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new NpzFormatException(where + " has a malformed .npy header: " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new NpzFormatException(where + " is a Fortran-order array, which grad4j does not read "
                    + "(save np.ascontiguousarray(a) instead)");
        }
        String descr = d.group(1);
        DType dtype = switch (descr) {
            case "<f4" -> DType.FLOAT32;
            case "<f8" -> DType.FLOAT64;
            default -> throw new NpzFormatException(where + " has dtype '" + descr + "'; grad4j reads <f4 (FLOAT32) and <f8 (FLOAT64)");
        };
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",", -1)) {
            String p = part.strip();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.isEmpty()) {
                try {
                    dims.add(Long.parseLong(p));
                } catch (NumberFormatException e) {
                    throw new NpzFormatException(where + " has a bad shape (" + s.group(1) + ")");
                }
            }
        }
        Shape shape = WeightFiles.shape(dims.stream().mapToLong(Long::longValue).toArray(), where, NpzFormatException::new);
        return new Header(new TensorInfo(name, dtype, shape), 8 + lenBytes + headerLen);
    }

    /**
     * One {@code .npy} array from {@code in}: its header is checked first, then exactly the declared
     * bytes are read and the stream must end there. {@code where} starts every error message.
     */
    public static Tensor readNpy(InputStream in, Backend backend, String where) throws IOException {
        TensorInfo info = readHeader(in, "array", where).info;
        Tensor t;
        try {
            t = WeightFiles.readData(in, info, ByteOrder.LITTLE_ENDIAN, backend);
        } catch (WeightFiles.Truncated x) {
            throw new NpzFormatException(where + " is truncated: its .npy header declares " + info.describe() + " ("
                    + info.byteCount() + " bytes of data) but it holds " + x.got);
        }
        if (in.read() != -1) {
            throw new NpzFormatException(where + " holds more data than its .npy header declares (" + info.describe() + ")");
        }
        return t;
    }
}
