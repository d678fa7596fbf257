package dev.grad4j.nn.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ChildMain} in a fresh JVM with the test class path: under a small heap (to prove a
 * file is refused without being inflated), or, when the tests run as root, without the
 * capabilities that let root ignore file permissions (to prove a read-only file or folder is
 * refused with the user's path; root would otherwise write anywhere).
 */
final class ChildJvm {

    record Result(int exit, String output) {
        /** The text after {@code key } on the line that starts with it, or null. */
        String line(String key) {
            for (String l : output.split("\n")) {
                if (l.startsWith(key + " ")) {
                    return l.substring(key.length() + 1);
                }
            }
            return null;
        }
    }

    private ChildJvm() {
    }

    static boolean isRoot(Path anyNewFile) throws IOException {
        return ((Integer) Files.getAttribute(anyNewFile, "unix:uid")) == 0;
    }

    /**
     * Runs {@code ChildMain args} with {@code -Xmx<heap>}; {@code unprivileged} drops root's
     * permission-bypassing capabilities (with util-linux's {@code setpriv}) when running as root.
     */
    static Result run(String heap, boolean unprivileged, Path scratch, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (unprivileged && isRoot(scratch)) {
            cmd.addAll(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.add("-Dgrad4j.backend=ejml");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildMain.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Path out = Files.createTempFile(scratch, "child", ".log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish in 120 s: " + cmd);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Result(p.exitValue(), text);
    }
}
