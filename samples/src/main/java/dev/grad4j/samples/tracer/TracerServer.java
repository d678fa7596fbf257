package dev.grad4j.samples.tracer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.grad4j.api.Backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Gradient Tracer's web server, on the JDK's {@link HttpServer}: the page ({@code /}, with its
 * {@code /tracer.js} and {@code /tracer.css}, all read from the jar, nothing from the network) and
 * the JSON API:
 *
 * <ul>
 *   <li>{@code GET /api/examples}: the examples, {@code [{"id", "title", "expression", "values"}]};</li>
 *   <li>{@code POST /api/trace} with {@code {"expression": "(x*w + b)^2", "values": {"x": 2}, "inplace": false,
 *       "mutate": null}}: the {@link Trace.Result} as JSON (numbers that are not finite are the strings
 *       {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}).</li>
 * </ul>
 *
 * Bad requests get a 4xx and {@code {"error": "...", "position": N}} (position only for the
 * expression's errors): 400 for a malformed expression or body, an unknown name, a value that is not
 * finite, an expression over {@value Parser#MAX_LENGTH} characters, {@value Parser#MAX_DEPTH} levels
 * or {@value Parser#MAX_NODES} nodes; 413 for a body over {@value #MAX_BODY} bytes; 415 for a body
 * that is not {@code application/json}; 404 for any other path; 405 (with {@code Allow}) for a method
 * the path does not serve (only GET and POST are served); 403 for a request whose {@code Host} is not
 * this machine while the server is on loopback (a web page cannot reach it by DNS rebinding).
 */
public final class TracerServer implements AutoCloseable {

    /** Largest request body accepted, in bytes. */
    public static final int MAX_BODY = 16 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** The page's files: path, classpath resource, content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[]{"/tracer/index.html", "text/html; charset=utf-8"},
            "/tracer.js", new String[]{"/tracer/tracer.js", "text/javascript; charset=utf-8"},
            "/tracer.css", new String[]{"/tracer/tracer.css", "text/css; charset=utf-8"});

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final HttpServer server;
    private final ExecutorService pool;
    private final Backend backend;
    private final boolean loopback;
    private final Set<String> hosts;
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private TracerServer(HttpServer server, ExecutorService pool, Backend backend, InetAddress address, String host) {
        this.server = server;
        this.pool = pool;
        this.backend = backend;
        this.loopback = address.isLoopbackAddress();
        this.hosts = new HashSet<>(List.of("localhost", "127.0.0.1", "[::1]", host.toLowerCase(Locale.ROOT),
                "[" + host.toLowerCase(Locale.ROOT) + "]"));
        for (Map.Entry<String, String[]> f : FILES.entrySet()) {
            try (InputStream in = TracerServer.class.getResourceAsStream(f.getValue()[0])) {
                if (in == null) {
                    throw new IllegalStateException("the tracer's page is missing from the jar: " + f.getValue()[0]);
                }
                files.put(f.getKey(), in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Starts serving on {@code host} (e.g. {@code 127.0.0.1}) and {@code port} (0 picks a free one),
     * tracing on {@code backend}.
     */
    public static TracerServer start(String host, int port, Backend backend) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 16);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tracer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        TracerServer s;
        try {
            s = new TracerServer(http, pool, backend, address, host);
        } catch (RuntimeException e) {
            http.stop(0);
            pool.shutdownNow();
            throw e;
        }
        http.createContext("/", s::handle);
        http.setExecutor(pool);
        http.start();
        return s;
    }

    /** The page's address, {@code http://127.0.0.1:PORT/}. */
    public URI uri() {
        InetAddress a = server.getAddress().getAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** True when only this machine can connect. */
    public boolean loopback() {
        return loopback;
    }

    /** Stops serving (requests under way get a moment to finish). */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdownNow();
    }

    // ------------------------------------------------------------------ requests

    /** A request refused with {@code status}. */
    private static final class Refused extends RuntimeException {
        final int status;
        final Integer position;
        final String allow;

        Refused(int status, String message, Integer position, String allow) {
            super(message);
            this.status = status;
            this.position = position;
            this.allow = allow;
        }
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                route(ex);
            } catch (Refused r) {
                if (r.allow != null) {
                    ex.getResponseHeaders().set("Allow", r.allow);
                }
                error(ex, r.status, r.getMessage(), r.position);
            } catch (ParseException e) {
                error(ex, 400, e.getMessage(), e.position());
            } catch (Trace.BadRequest e) {
                error(ex, 400, e.getMessage(), null);
            } catch (UnrecognizedPropertyException e) {
                error(ex, 400, "unknown field \"" + e.getPropertyName() + "\"; a trace request has expression, values, "
                        + "inplace and mutate", null);
            } catch (JsonProcessingException e) {
                error(ex, 400, "the body is not the JSON the tracer expects: " + e.getOriginalMessage(), null);
            } catch (RuntimeException e) {
                System.err.println("tracer: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " failed: " + e);
                error(ex, 500, "the tracer failed on this request: " + e.getClass().getSimpleName(), null);
            }
        } catch (IOException e) {
            // the client went away; nothing left to answer
        }
    }

    private void route(HttpExchange ex) throws IOException {
        checkHost(ex);
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        if (FILES.containsKey(path)) {
            allow(method, "GET");
            send(ex, 200, FILES.get(path)[1], files.get(path));
        } else if (path.equals("/api/examples")) {
            allow(method, "GET");
            send(ex, 200, "application/json", JSON.writeValueAsBytes(Examples.all()));
        } else if (path.equals("/api/trace")) {
            allow(method, "POST");
            Trace.Request request = JSON.readValue(body(ex), Trace.Request.class);
            send(ex, 200, "application/json", JSON.writeValueAsBytes(Trace.of(request, backend)));
        } else {
            throw new Refused(404, "no such page: " + path + " (the tracer serves /, /api/examples and /api/trace)", null, null);
        }
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new Refused(405, method + " is not allowed here; use " + allowed, null, allowed);
        }
    }

    /** On loopback, only requests addressed to this machine: a remote page that rebinds its name here is refused. */
    private void checkHost(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (!loopback || host == null) {
            return;
        }
        String h = host.toLowerCase(Locale.ROOT).trim();
        int end = h.startsWith("[") ? h.indexOf(']') + 1 : h.indexOf(':');
        String name = end > 0 ? h.substring(0, end) : h;
        if (!hosts.contains(name)) {
            throw new Refused(403, "the tracer answers requests to this machine only, not to Host " + host, null, null);
        }
    }

    /** The request body, at most {@link #MAX_BODY} bytes, sent as JSON. */
    private static byte[] body(HttpExchange ex) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).trim().startsWith("application/json")) {
            throw new Refused(415, "send the body as application/json, not " + (type == null ? "without a Content-Type" : type),
                    null, null);
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.trim().matches("\\d{1,18}") && Long.parseLong(length.trim()) > MAX_BODY) {
            throw tooLarge(Long.parseLong(length.trim()) + " bytes");
        }
        byte[] body = ex.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw tooLarge("more than " + MAX_BODY + " bytes");
        }
        return body;
    }

    private static Refused tooLarge(String size) {
        return new Refused(413, "the request body is " + size + "; the limit is " + MAX_BODY + " bytes", null, null);
    }

    private static void error(HttpExchange ex, int status, String message, Integer position) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (position != null) {
            body.put("position", position);
        }
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cache-Control", "no-store");
        h.set("Referrer-Policy", "no-referrer");
        if (type.startsWith("text/html")) {
            h.set("Content-Security-Policy", CSP);
            h.set("X-Frame-Options", "DENY");
        }
        if (ex.getRequestMethod().equals("HEAD")) {    // refused (405), and a HEAD answer has no body
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
