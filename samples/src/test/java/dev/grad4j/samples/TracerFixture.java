package dev.grad4j.samples;

import dev.grad4j.samples.tracer.TracerServer;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;

/** Starts the {@code tracer} subcommand's server as the command line would (e.g. {@code --port 0}); the caller closes it. */
public final class TracerFixture {

    private TracerFixture() {
    }

    public static TracerServer start(PrintStream out, String... args) throws IOException {
        Tracer tracer = new Tracer(out);
        new CommandLine(tracer).parseArgs(args);
        return tracer.start();
    }
}
