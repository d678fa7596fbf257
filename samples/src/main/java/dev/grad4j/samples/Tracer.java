package dev.grad4j.samples;

import dev.grad4j.api.Backend;
import dev.grad4j.samples.tracer.TracerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The Gradient Tracer: a local web page where you set the inputs of an expression, run the forward
 * pass and see each node's value, run the backward pass and watch each gradient arrive (a gradient
 * that comes by two paths as its two contributions adding up, beside each leaf its numerical
 * gradient), then spring the in-place trap and see grad4j refuse where a naive engine would have
 * returned a wrong gradient. The page and its scripts are in the jar; it works offline.
 *
 * <p>It listens on loopback ({@code 127.0.0.1}) unless {@code --host} says otherwise, and says so
 * when it does; it runs until interrupted (Ctrl-C).
 */
@Command(name = "tracer", mixinStandardHelpOptions = true,
        description = "Start the Gradient Tracer, a local web page: forward and backward through a graph, step by step.")
public final class Tracer implements Callable<Integer> {

    @Mixin
    Common common;

    @Option(names = "--port", defaultValue = "8000", description = "port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE}, this machine only)")
    String host;

    private final PrintStream out;

    public Tracer() {
        this(System.out);
    }

    Tracer(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        TracerServer server = start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tracer-stop"));
        out.println("Ctrl-C stops it.");
        new CountDownLatch(1).await();   // serve until the program is interrupted
        return 0;
    }

    /** Starts the server and says where; the caller stops it. */
    TracerServer start() throws IOException {
        Backend backend;
        try (var env = common.open(out)) {
            backend = env.backend();
        }
        TracerServer server = TracerServer.start(host, port, backend);
        if (!server.loopback()) {
            out.println("warning: listening on " + host + ", not on loopback: anyone who can reach this machine on port "
                    + server.port() + " can use the tracer");
        }
        out.println("Gradient Tracer at " + server.uri());
        return server;
    }
}
