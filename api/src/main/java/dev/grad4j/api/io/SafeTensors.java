package dev.grad4j.api.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.grad4j.api.Backend;
import dev.grad4j.api.DType;
import dev.grad4j.api.Shape;
import dev.grad4j.api.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Named tensors in Hugging Face's <a href="https://huggingface.co/docs/safetensors">safetensors</a>
 * format, which PyTorch ({@code safetensors.torch.load_file}), NumPy, JAX and most model tools read:
 *
 * <pre>
 * 8 bytes        N, the header's length, an unsigned little-endian 64-bit integer
 * N bytes        a UTF-8 JSON object, padded with spaces:
 *                {"__metadata__": {"key": "value", ...},          (optional, strings only)
 *                 "NAME": {"dtype": "F32", "shape": [2, 3], "data_offsets": [BEGIN, END]}, ...}
 * the rest       the byte buffer: each tensor's little-endian, C-order data from BEGIN to END
 *                (relative to the buffer's start), the tensors covering it exactly, without holes
 * </pre>
 *
 * <p>grad4j reads and writes {@code F32} (FLOAT32) and {@code F64} (FLOAT64); a file with any other
 * dtype ({@code F16}, {@code BF16}, {@code I64}, ...) is refused, naming the entry and the dtype.
 *
 * <p>{@link #write} lays the file out as the reference implementation does (tensors ordered by
 * dtype, widest first, then by name; the header padded to a multiple of 8 bytes) and is atomic
 * ({@link AtomicFile}). Reading checks the whole header before any data is read: the header length
 * against the file, the JSON (no duplicate names, no unknown fields), each dtype and shape, each
 * tensor's offsets against its size and the buffer, and that the tensors tile the buffer with no
 * overlap and no hole. A malformed file gives a {@link SafeTensorsFormatException} naming the file
 * and the entry; a missing file, a folder or an unreadable file a {@link FileNotFoundException}
 * naming the path.
 */
public final class SafeTensors {

    /** The longest header read, as the reference implementation's limit (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Every dtype the format defines; grad4j reads two of them. */
    private static final Set<String> KNOWN_DTYPES = Set.of("BOOL", "U8", "I8", "U16", "I16", "F16", "BF16", "U32", "I32",
            "F32", "U64", "I64", "F64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64");

    private static final String METADATA = "__metadata__";
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    private SafeTensors() {
    }

    /** Thrown for a file that is not a readable safetensors file of float tensors. */
    public static final class SafeTensorsFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public SafeTensorsFormatException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code tensors} to {@code file} without metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} and the string pairs {@code metadata} (written as {@code __metadata__}
     * when not empty) to {@code file}, atomically ({@link AtomicFile}: the previous file stays if
     * anything fails; links are followed; permissions are kept; the folder must exist).
     *
     * @throws IllegalArgumentException for an empty name or {@code __metadata__} as a tensor name
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        List<Map.Entry<String, Tensor>> order = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, Tensor> e : order) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("invalid tensor name for safetensors: '" + e.getKey() + "'");
            }
            Objects.requireNonNull(e.getValue(), () -> "tensor '" + e.getKey() + "' is null");
        }
        // as the reference writer: widest dtype first (so every tensor is aligned), then by name (UTF-8 byte order)
        order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype().bytes())
                .thenComparing((a, b) -> Arrays.compareUnsigned(a.getKey().getBytes(StandardCharsets.UTF_8),
                        b.getKey().getBytes(StandardCharsets.UTF_8))));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(METADATA);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(Objects.requireNonNull(m.getKey(), "metadata key"),
                            Objects.requireNonNull(m.getValue(), () -> "metadata '" + m.getKey() + "' is null"));
                }
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : order) {
                Tensor t = e.getValue();
                long n = (long) t.shape().size() * t.dtype().bytes();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", t.dtype() == DType.FLOAT32 ? "F32" : "F64");
                g.writeArrayFieldStart("shape");
                for (int d : t.shape().dims()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + n);
                g.writeEndArray();
                g.writeEndObject();
                offset += n;
            }
            g.writeEndObject();
        }
        int pad = (8 - json.size() % 8) % 8;
        for (int i = 0; i < pad; i++) {
            json.write(' ');
        }
        byte[] header = json.toByteArray();
        AtomicFile.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            for (Map.Entry<String, Tensor> e : order) {
                writeData(out, e.getValue());
            }
        });
    }

    private static void writeData(OutputStream out, Tensor t) throws IOException {
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

    // ------------------------------------------------------------------ reading

    /** A parsed, checked header: the tensors in header order, their offsets, and the metadata. */
    private record Header(Map<String, TensorInfo> infos, Map<String, long[]> offsets, Map<String, String> metadata,
                          long dataStart) {
    }

    /**
     * Reads every tensor of {@code file} onto {@code backend}, in header order. The whole header is
     * checked first (see the class comment); then the declared sizes together must fit in the free
     * heap twice over (an array and the backend's copy), or the file is refused before anything is
     * allocated.
     *
     * @throws FileNotFoundException      naming the path: no such file, a folder, or not readable
     * @throws SafeTensorsFormatException naming the file and the entry, for anything malformed
     */
    public static Map<String, Tensor> read(Path file, Backend backend) throws IOException {
        return read(file, backend, infos -> WeightFiles.checkHeap(file, infos, SafeTensorsFormatException::new));
    }

    /**
     * Reads {@code file} like {@link #read(Path, Backend)}, but hands every tensor's header (name,
     * dtype, shape, in header order) to {@code check} before any data is read or allocated;
     * {@code check} refuses the file by throwing. The heap check of {@link #read(Path, Backend)} is
     * not made: the caller's check bounds the sizes.
     */
    public static Map<String, Tensor> read(Path file, Backend backend, Consumer<Map<String, TensorInfo>> check)
            throws IOException {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(check, "check");
        try (FileChannel ch = open(file)) {
            Header h = header(file, ch);
            check.accept(Collections.unmodifiableMap(h.infos));
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (TensorInfo info : h.infos.values()) {
                long[] off = h.offsets.get(info.name());
                ch.position(h.dataStart + off[0]);
                InputStream in = Channels.newInputStream(ch);
                try {
                    out.put(info.name(), WeightFiles.readData(in, info, ByteOrder.LITTLE_ENDIAN, backend));
                } catch (WeightFiles.Truncated x) {
                    throw new SafeTensorsFormatException("cannot read " + file + ": entry '" + info.name()
                            + "' is truncated (the file changed while it was being read?)");
                }
            }
            return out;
        }
    }

    /** The header of every tensor in {@code file}, in header order, checked as {@link #read} checks it; no data is read. */
    public static Map<String, TensorInfo> headers(Path file) throws IOException {
        try (FileChannel ch = open(file)) {
            return header(file, ch).infos;
        }
    }

    /** The file's {@code __metadata__} string pairs (empty when it has none), after checking the whole header. */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel ch = open(file)) {
            return header(file, ch).metadata;
        }
    }

    private static FileChannel open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        WeightFiles.checkReadable(file);
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (AccessDeniedException e) {
            throw new FileNotFoundException("cannot read " + file + ": permission denied");
        }
    }

    private static SafeTensorsFormatException bad(Path file, String problem) {
        return new SafeTensorsFormatException("cannot read " + file + ": " + problem);
    }

    private static Header header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw bad(file, "not a safetensors file (" + size + " bytes, shorter than the 8-byte header length)");
        }
        ByteBuffer lb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (lb.hasRemaining() && ch.read(lb, lb.position()) > 0) {
            // positional reads until the 8 bytes are in
        }
        long n = lb.flip().getLong();
        if (n < 0 || n > size - 8) {
            throw bad(file, "the header length " + Long.toUnsignedString(n) + " is beyond the file's end (" + size
                    + " bytes): not a safetensors file, or a truncated one");
        }
        if (n > MAX_HEADER_BYTES) {
            throw bad(file, "the header length " + n + " is more than " + MAX_HEADER_BYTES + " bytes");
        }
        if (n < 2) {
            throw bad(file, "the header is " + n + " bytes long, too short for a JSON object");
        }
        long dataStart = 8 + n;
        long buffer = size - dataStart;
        ch.position(8);
        InputStream in = new BoundedInputStream(Channels.newInputStream(ch), n);
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        Map<String, long[]> offsets = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        boolean sawMetadata = false;
        try (JsonParser p = JSON.createParser(in)) {
            int first = peekFirst(ch);
            if (first != '{') {
                throw bad(file, "the header does not start with '{' (not a safetensors file)");
            }
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw bad(file, "the header is not a JSON object");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                if (infos.containsKey(name) || (sawMetadata && name.equals(METADATA))) {
                    throw bad(file, "entry '" + name + "' appears twice in the header");
                }
                JsonToken v = p.nextToken();
                if (name.equals(METADATA)) {
                    sawMetadata = true;
                    metadata(file, p, v, metadata);
                } else {
                    long[] off = new long[2];
                    infos.put(name, tensor(file, p, v, name, off));
                    offsets.put(name, off);
                }
            }
            if (p.nextToken() != null) {
                throw bad(file, "the header has more after its JSON object (only space padding may follow)");
            }
        } catch (JsonProcessingException e) {
            throw bad(file, "the header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        checkOffsets(file, infos, offsets, buffer);
        return new Header(Collections.unmodifiableMap(infos), offsets, Collections.unmodifiableMap(metadata), dataStart);
    }

    private static int peekFirst(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        return ch.read(b, 8) == 1 ? b.get(0) : -1;
    }

    private static void metadata(Path file, JsonParser p, JsonToken v, Map<String, String> out) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            throw bad(file, "__metadata__ must be an object of strings, found " + v);
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw bad(file, "__metadata__ '" + key + "' must be a string, found " + p.currentToken());
            }
            if (out.put(key, p.getText()) != null) {
                throw bad(file, "__metadata__ '" + key + "' appears twice");
            }
        }
    }

    private static TensorInfo tensor(Path file, JsonParser p, JsonToken v, String name, long[] off) throws IOException {
        String where = "entry '" + name + "'";
        if (v != JsonToken.START_OBJECT) {
            throw bad(file, where + " must be an object with dtype, shape and data_offsets, found " + v);
        }
        String dtype = null;
        long[] dims = null;
        long[] offsets = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String field = p.currentName();
            JsonToken fv = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (dtype != null) {
                        throw bad(file, where + " has dtype twice");
                    }
                    if (fv != JsonToken.VALUE_STRING) {
                        throw bad(file, where + ": dtype must be a string, found " + fv);
                    }
                    dtype = p.getText();
                }
                case "shape" -> {
                    if (dims != null) {
                        throw bad(file, where + " has shape twice");
                    }
                    dims = longs(file, p, fv, where, "shape", -1);
                }
                case "data_offsets" -> {
                    if (offsets != null) {
                        throw bad(file, where + " has data_offsets twice");
                    }
                    offsets = longs(file, p, fv, where, "data_offsets", 2);
                }
                default -> throw bad(file, where + " has an unknown field '" + field
                        + "' (a tensor has dtype, shape and data_offsets)");
            }
        }
        if (dtype == null || dims == null || offsets == null) {
            throw bad(file, where + " lacks " + (dtype == null ? "dtype" : dims == null ? "shape" : "data_offsets"));
        }
        DType d = switch (dtype) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            default -> throw bad(file, where + " has " + (KNOWN_DTYPES.contains(dtype) ? "dtype " + dtype
                    + ", which grad4j does not read" : "an unknown dtype '" + dtype + "'")
                    + " (grad4j reads F32 and F64)");
        };
        Shape shape = WeightFiles.shape(dims, "cannot read " + file + ": " + where, SafeTensorsFormatException::new);
        off[0] = offsets[0];
        off[1] = offsets[1];
        return new TensorInfo(name, d, shape);
    }

    /** An array of non-negative integers that fit a long ({@code count} of them, or any number when -1). */
    private static long[] longs(Path file, JsonParser p, JsonToken v, String where, String field, int count) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            throw bad(file, where + ": " + field + " must be an array of integers, found " + v);
        }
        List<Long> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw bad(file, where + ": " + field + " must hold integers, found " + p.getText());
            }
            JsonParser.NumberType nt = p.getNumberType();
            if (nt == JsonParser.NumberType.BIG_INTEGER) {
                throw bad(file, where + ": " + field + " holds " + p.getText() + ", beyond any file or tensor");
            }
            long x = p.getLongValue();
            if (x < 0) {
                throw bad(file, where + ": " + field + " holds the negative " + x);
            }
            out.add(x);
            if (out.size() > 64) {
                throw bad(file, where + ": " + field + " has more than 64 entries");
            }
        }
        if (count >= 0 && out.size() != count) {
            throw bad(file, where + ": " + field + " must hold " + count + " integers, found " + out.size());
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Each tensor's offsets match its size and lie in the buffer; together they tile it with no overlap or hole. */
    private static void checkOffsets(Path file, Map<String, TensorInfo> infos, Map<String, long[]> offsets, long buffer) {
        for (TensorInfo info : infos.values()) {
            long[] o = offsets.get(info.name());
            String where = "entry '" + info.name() + "'";
            if (o[1] < o[0]) {
                throw bad(file, where + " has data_offsets [" + o[0] + ", " + o[1] + "] that end before they begin");
            }
            if (o[1] - o[0] != info.byteCount()) {
                throw bad(file, where + " is " + info.describe() + " (" + info.byteCount() + " bytes) but its data_offsets ["
                        + o[0] + ", " + o[1] + "] span " + (o[1] - o[0]) + " bytes");
            }
            if (o[1] > buffer) {
                throw bad(file, where + " has data_offsets [" + o[0] + ", " + o[1] + "] beyond the data, which is "
                        + buffer + " bytes long (a truncated file?)");
            }
        }
        List<TensorInfo> byOffset = new ArrayList<>(infos.values());
        byOffset.sort(Comparator.<TensorInfo>comparingLong(t -> offsets.get(t.name())[0])
                .thenComparingLong(t -> offsets.get(t.name())[1]));
        long end = 0;
        String previous = null;
        for (TensorInfo t : byOffset) {
            long[] o = offsets.get(t.name());
            if (o[0] < end) {
                throw bad(file, "entry '" + t.name() + "' (data_offsets [" + o[0] + ", " + o[1] + "]) overlaps entry '"
                        + previous + "', which ends at " + end);
            }
            if (o[0] > end) {
                throw bad(file, "the data has a hole: bytes " + end + " to " + o[0] + " belong to no tensor (before entry '"
                        + t.name() + "')");
            }
            end = o[1];
            previous = t.name();
        }
        if (end != buffer) {
            throw bad(file, "the data is " + buffer + " bytes long but its tensors cover " + end
                    + " (bytes after the last tensor belong to none)");
        }
    }

    /** Reads at most {@code limit} bytes of the stream beneath. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int r = in.read(b, off, (int) Math.min(len, left));
            if (r > 0) {
                left -= r;
            }
            return r;
        }
    }
}
