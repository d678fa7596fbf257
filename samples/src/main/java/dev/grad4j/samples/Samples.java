package dev.grad4j.samples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The course, runnable: one program with a subcommand per lesson. {@code --help} on any of them
 * says what it does and what it takes. A bad argument or file gives one line and a non-zero exit
 * ({@code --verbose} adds the stack trace).
 */
@Command(name = "grad4j-samples", mixinStandardHelpOptions = true, version = "grad4j samples 0.1.0",
        description = "Runnable lessons of grad4j: train on real data, watch a gradient being made, debug a broken loop.",
        subcommands = {Digits.class, Xor.class, Neuron.class, Spiral.class, DebugNan.class, CustomOp.class,
                FiniteDifferences.class, InPlace.class, Graph.class, Tracer.class})
public final class Samples implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The program, with one-line errors (the stack trace with {@code --verbose}). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Samples());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            boolean verbose = parsed.originalArgs().contains("--verbose");
            String m = e.getMessage() != null ? e.getMessage() : e.toString();
            err.println("error: " + m.lines().findFirst().orElse(m));
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(run with --verbose for the stack trace)");
            }
            err.flush();
            return 1;
        });
        return cl;
    }
}
