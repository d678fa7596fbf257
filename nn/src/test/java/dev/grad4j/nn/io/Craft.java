package dev.grad4j.nn.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Bad weights files made by hand, byte by byte, for the tests. */
final class Craft {

    private Craft() {
    }

    /** An {@code .npy} header (format 1.0) for {@code descr} and the Python tuple {@code shape}, e.g. {@code "(4, 3)"}. */
    static byte[] npyHeader(String descr, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        dict = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + dict.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) dict.length());
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /** A zip of the given entries (name to bytes), deflated. */
    static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    /**
     * A zip of the entries {@code first}, then {@code entry}: {@code header} and {@code zeros} zero
     * bytes, deflated at the fastest level.
     */
    static Path zipOfZeros(Path file, Map<String, byte[]> first, String entry, byte[] header, long zeros) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.setLevel(Deflater.BEST_SPEED);
            for (Map.Entry<String, byte[]> e : first.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry(entry));
            z.write(header);
            byte[] chunk = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= chunk.length) {
                z.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            z.closeEntry();
        }
        return file;
    }

    /**
     * Makes the zip directory lie: sets the uncompressed size its central directory records for
     * {@code entry} (what {@code java.util.zip.ZipFile} reports) to {@code size}.
     */
    static void setDirectorySize(Path zip, String entry, long size) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 <= bytes.length; i++) {
            if (b.getInt(i) == 0x02014b50 && b.getShort(i + 28) == name.length
                    && new String(bytes, i + 46, name.length, StandardCharsets.UTF_8).equals(entry)) {
                b.putInt(i + 24, (int) size);
                Files.write(zip, bytes);
                return;
            }
        }
        throw new AssertionError("no central directory record for " + entry);
    }

    /** A safetensors file: the 8-byte length of {@code json}, {@code json}, then {@code data}. */
    static Path safetensors(Path file, String json, byte[] data) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return safetensors(file, h.length, h, data);
    }

    /** A safetensors file whose length field says {@code n}, whatever the header's real length. */
    static Path safetensors(Path file, long n, byte[] header, byte[] data) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array());
            out.write(header);
            out.write(data);
        }
        return file;
    }
}
