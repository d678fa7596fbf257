package dev.grad4j.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Writes a file all at once or not at all: the content goes to a temporary file beside the target,
 * which is then renamed over it, so a reader (or a crash) never sees a half-written file and a
 * failed write leaves the previous one in place. Every file grad4j writes (weights, checkpoints,
 * metrics logs, reports) goes through here.
 *
 * <ul>
 *   <li>Writing through a symbolic link writes the link's target (the link stays a link).</li>
 *   <li>An existing file keeps its permissions.</li>
 *   <li>A missing parent folder is refused (a typo must not create directories), naming it.</li>
 *   <li>An existing file that is not writable (read-only) is refused, not replaced.</li>
 *   <li>Errors name the user's path, never the temporary file's.</li>
 * </ul>
 */
public final class AtomicFile {

    /** Writes the content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AtomicFile() {
    }

    /**
     * Writes {@code content} to {@code file} atomically.
     *
     * @throws IOException naming {@code file}: its folder does not exist or is not writable, it is a
     *                     folder, or writing failed (the previous file, if any, is unchanged)
     */
    public static void write(Path file, Content content) throws IOException {
        Path target = resolve(file);
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot write " + file + ": the folder " + (dir == null ? "(none)" : dir)
                    + " does not exist");
        }
        String via = target.equals(file) ? "" : " (a link to " + target + ")";
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + file + via + ": it is a folder");
        }
        if (Files.exists(target) && !Files.isWritable(target)) {
            // a rename would replace it all the same; a file made read-only is kept, as open(2) would
            throw new IOException("cannot write " + file + via + ": the file is not writable" + permissions(target));
        }
        // a new file gets the permissions the umask gives (Files.createTempFile would make it 0600)
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        OutputStream stream;
        try {
            stream = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot write " + file + ": the folder " + dir + " is not writable", e);
        } catch (FileSystemException e) {
            throw new IOException("cannot write " + file + ": " + reason(e), e);
        }
        try {
            try (OutputStream out = stream) {
                content.writeTo(out);
            }
            keepPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileSystemException e) {
            throw new IOException("cannot write " + file + ": " + reason(e), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The file a path names, following symbolic links (also a dangling one, to the path it points at). */
    static Path resolve(Path file) throws IOException {
        Path p = file;
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops > 40) {
                throw new IOException("cannot write " + file + ": too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(p);
            Path parent = p.toAbsolutePath().getParent();
            p = parent == null ? link : parent.resolve(link);
        }
        return p;
    }

    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (view != null) {
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            Files.setPosixFilePermissions(tmp, perms);
        }
    }

    private static String permissions(Path target) {
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
            return view == null ? "" : " (" + java.nio.file.attribute.PosixFilePermissions.toString(view.readAttributes().permissions()) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String reason(FileSystemException e) {
        String r = e.getReason();
        return r != null ? r : e.getClass().getSimpleName();
    }
}
