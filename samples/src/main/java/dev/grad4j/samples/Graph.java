package dev.grad4j.samples;

import dev.grad4j.api.DType;
import dev.grad4j.api.io.AtomicFile;
import dev.grad4j.autograd.Explain;
import dev.grad4j.autograd.GradOptions;
import dev.grad4j.autograd.GraphExport;
import dev.grad4j.autograd.Variable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static dev.grad4j.Grad4j.*;

/**
 * The graph drawn: {@code (x*w + b)^2} and {@code (a + b) * b}, forward and backward, each written
 * as Graphviz DOT with every node's value and gradient (and as SVG and PNG when Graphviz's
 * {@code dot} is installed); b's gradient in the second graph is shown as the two contributions
 * that add up to it.
 */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Draw (x*w + b)^2 and (a + b) * b with values and gradients; explain b's gradient.")
public final class Graph implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--out", defaultValue = "target/graph", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--x", defaultValue = "2", description = "x (default: ${DEFAULT-VALUE})")
    double x0;

    @Option(names = "--w", defaultValue = "3", description = "w (default: ${DEFAULT-VALUE})")
    double w0;

    @Option(names = "--b", defaultValue = "1", description = "b (default: ${DEFAULT-VALUE})")
    double b0;

    private final PrintStream stdout;

    public Graph() {
        this(System.out);
    }

    Graph(PrintStream stdout) {
        this.stdout = stdout;
    }

    /** The first graph's output and gradients, the explanation of the second's b, and the files written. */
    public record Result(double output, double dx, double dw, double db, Explain.Explanation explained, List<Path> files) {
    }

    @Override
    public Integer call() throws IOException {
        run();
        return 0;
    }

    Result run() throws IOException {
        Files.createDirectories(out);
        try (var env = common.open(stdout).dtype(DType.FLOAT64)) {
            List<Path> files = new ArrayList<>();
            Variable x = tensor(x0).named("x").requiresGrad(true);
            Variable w = tensor(w0).named("w").requiresGrad(true);
            Variable b = tensor(b0).named("b").requiresGrad(true);
            Variable l = x.mul(w).add(b).pow(2).named("L");
            l.backward(GradOptions.options().retainGraph());
            stdout.printf(Locale.ROOT, "L = (x*w + b)^2 = %s at x = %s, w = %s, b = %s%n", n(l.item()), n(x0), n(w0), n(b0));
            stdout.printf(Locale.ROOT, "dL/dx = %s, dL/dw = %s, dL/db = %s%n", n(x.grad().item()), n(w.grad().item()),
                    n(b.grad().item()));
            files.addAll(write("linear_squared", GraphExport.toDot(l)));

            Variable a = tensor(2.0).named("a").requiresGrad(true);
            Variable bb = tensor(3.0).named("b").requiresGrad(true);
            Variable c = a.add(bb).mul(bb).named("c");
            Explain.Explanation why = Explain.gradient(c, bb);
            c.backward();
            stdout.println("c = (a + b) * b at a = 2, b = 3: c = " + n(c.item()));
            stdout.println(why);
            files.addAll(write("shared_input", GraphExport.toDot(c)));
            return new Result(l.item(), x.grad().item(), w.grad().item(), b.grad().item(), why, files);
        }
    }

    /** Writes {@code name.dot}, and {@code name.svg} and {@code name.png} when Graphviz is installed. */
    private List<Path> write(String name, String dot) throws IOException {
        List<Path> files = new ArrayList<>();
        Path dotFile = out.resolve(name + ".dot");
        AtomicFile.write(dotFile, o -> o.write(dot.getBytes(StandardCharsets.UTF_8)));
        files.add(dotFile);
        stdout.println("wrote " + dotFile);
        for (String format : new String[]{"svg", "png"}) {
            Path f = out.resolve(name + "." + format);
            if (render(dotFile, f, format)) {
                files.add(f);
                stdout.println("wrote " + f);
            } else {
                stdout.println("Graphviz's dot is not installed: render it with `dot -T" + format + " " + dotFile + " -o " + f
                        + "` (Debian: apt-get install graphviz), or paste the DOT into any Graphviz viewer");
                break;
            }
        }
        return files;
    }

    private static boolean render(Path dot, Path target, String format) {
        try {
            Process p = new ProcessBuilder("dot", "-T" + format, dot.toString(), "-o", target.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.size(target) > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String n(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
