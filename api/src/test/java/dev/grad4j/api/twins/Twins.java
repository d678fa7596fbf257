package dev.grad4j.api.twins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates a source file's float64 twin from its float32 source, the way EJML generates its
 * float code from its double code: an ordered list of textual rules (regular expressions) applied
 * to the source, after two markers are honoured:
 * <ul>
 * <li>lines from {@code // twin:skip} to {@code // twin:end} (both included) are the source's own
 *     and are dropped from the twin (inside a Javadoc comment, {@code * <!-- twin:skip -->} and
 *     {@code * <!-- twin:end -->}, which Javadoc does not show);</li>
 * <li>a line {@code // twin:only <code>} is a comment in the source and {@code <code>} (at the
 *     comment's indentation) in the twin, verbatim: the rules do not apply to it, so it is written
 *     as the twin needs it (a float64 twin that converts to {@code float[]} can say so).</li>
 * </ul>
 * The twin starts with a header naming its source and how to regenerate it. Each module that keeps
 * twins checks them in a test with {@link #check}: the test fails when a twin is stale or was
 * edited by hand, and rewrites the twins instead when run with {@code -Dtwins.write=true}.
 */
public final class Twins {

    private static final Pattern SKIP = Pattern.compile("^\\s*(?://|\\*)\\s*(?:<!--\\s*)?twin:skip\\b.*$");
    private static final Pattern END = Pattern.compile("^\\s*(?://|\\*)\\s*(?:<!--\\s*)?twin:end\\b.*$");
    private static final Pattern ONLY = Pattern.compile("^(\\s*)// twin:only (.*)$");

    private Twins() {
    }

    /** A textual rule: every match of {@code regex} is replaced by {@code replacement} ({@link Matcher} syntax). */
    public record Rule(Pattern regex, String replacement) {
        public static Rule of(String regex, String replacement) {
            return new Rule(Pattern.compile(regex), replacement);
        }
    }

    /** A twin: the file generated from {@code source} by {@code rules}. */
    public record Pair(Path source, Path twin, List<Rule> rules) {
    }

    /**
     * The rules every float32-to-float64 pair starts with: {@code (float) } casts dropped (so write
     * them only on double expressions, where the twin needs none), then types, boxes, dtype names,
     * class names and float literals.
     */
    public static List<Rule> floatToDouble(String sourceClass, String twinClass) {
        return List.of(
                Rule.of("\\(float\\) ", ""),
                Rule.of("\\b" + sourceClass + "\\b", twinClass),
                Rule.of("\\bfloat\\b", "double"),
                Rule.of("\\bFloat\\b", "Double"),
                Rule.of("\\bFLOAT32\\b", "FLOAT64"),
                Rule.of("\\bfloat32\\b", "float64"),
                // float literals become double literals: 2f -> 2.0 (not the int 2, which would pick a
                // Vector API method's long overload), 1.5f -> 1.5, 1e-3f -> 1e-3, 0x1p-10f -> 0x1p-10
                Rule.of("(?<![\\w.])(?<![eEpP][-+])(\\d+)[fF]\\b", "$1.0"),
                Rule.of("\\b((?:0[xX][0-9a-fA-F.]+[pP][-+]?\\d+)|(?:\\d+\\.?\\d*(?:[eE][-+]?\\d+)?)|(?:\\.\\d+(?:[eE][-+]?\\d+)?))[fF]\\b",
                        "$1"));
    }

    /** The twin's text for {@code source} (whose file name is {@code sourceName}). */
    public static String generate(String source, String sourceName, List<Rule> rules, String regenerate) {
        // segments of lines: the rules apply to the source's lines, not to the twin:only ones
        List<String> out = new ArrayList<>();
        List<Boolean> verbatim = new ArrayList<>();
        boolean skipping = false;
        int lineNo = 0;
        int skipStart = 0;
        for (String line : source.split("\n", -1)) {
            lineNo++;
            if (SKIP.matcher(line).matches()) {
                if (skipping) {
                    throw new IllegalArgumentException(sourceName + ":" + lineNo + ": twin:skip inside the twin:skip of line "
                            + skipStart);
                }
                skipping = true;
                skipStart = lineNo;
                continue;
            }
            if (END.matcher(line).matches()) {
                if (!skipping) {
                    throw new IllegalArgumentException(sourceName + ":" + lineNo + ": twin:end without a twin:skip");
                }
                skipping = false;
                continue;
            }
            if (skipping) {
                continue;
            }
            Matcher only = ONLY.matcher(line);
            out.add(only.matches() ? only.group(1) + only.group(2) : line);
            verbatim.add(only.matches());
        }
        if (skipping) {
            throw new IllegalArgumentException(sourceName + ":" + skipStart + ": twin:skip without a twin:end");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < out.size(); ) {
            int j = i;
            while (j < out.size() && verbatim.get(j).equals(verbatim.get(i))) {
                j++;
            }
            String segment = String.join("\n", out.subList(i, j));
            if (!verbatim.get(i)) {
                for (Rule r : rules) {
                    segment = r.regex().matcher(segment).replaceAll(r.replacement());
                }
            }
            text.append(i == 0 ? "" : "\n").append(segment);
            i = j;
        }
        return "// GENERATED from " + sourceName + " by dev.grad4j.api.twins.Twins: edit " + sourceName + ", then run\n"
                + "// " + regenerate + "\n" + text;
    }

    /**
     * Checks that every twin is what its source generates, naming the stale ones and the command
     * that regenerates them; with {@code -Dtwins.write=true} it writes them instead (and passes).
     *
     * @throws AssertionError when a twin differs
     */
    public static void check(List<Pair> pairs, String regenerate) {
        boolean write = Boolean.getBoolean("twins.write");
        List<String> stale = new ArrayList<>();
        for (Pair p : pairs) {
            try {
                String want = generate(Files.readString(p.source(), StandardCharsets.UTF_8),
                        p.source().getFileName().toString(), p.rules(), regenerate);
                String have = Files.exists(p.twin()) ? Files.readString(p.twin(), StandardCharsets.UTF_8) : null;
                if (want.equals(have)) {
                    continue;
                }
                if (write) {
                    Files.writeString(p.twin(), want, StandardCharsets.UTF_8);
                } else {
                    stale.add(p.twin() + (have == null ? " is missing" : " differs from what " + p.source().getFileName()
                            + " generates (first difference at line " + firstDifference(want, have) + ")"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!stale.isEmpty()) {
            throw new AssertionError("generated twins are stale or were edited by hand:\n  " + String.join("\n  ", stale)
                    + "\nedit the float32 source and run: " + regenerate);
        }
    }

    private static int firstDifference(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return i + 1;
            }
        }
        return Math.min(x.length, y.length) + 1;
    }
}
