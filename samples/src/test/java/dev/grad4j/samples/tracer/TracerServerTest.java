package dev.grad4j.samples.tracer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grad4j.samples.Samples;
import dev.grad4j.samples.TracerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.grad4j.Grad4j.backend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tracer's server and JSON API: the page, the examples, traces, and every refusal with its status. */
class TracerServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TracerServer server;
    private static HttpClient http;

    @BeforeAll
    static void start() throws IOException {
        server = TracerServer.start("127.0.0.1", 0, backend("ejml"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return send("POST", "/api/trace", "application/json", body);
    }

    /** Checks a refusal: its status, that it is JSON with an error, and returns the JSON. */
    private static JsonNode refused(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode json = JSON.readTree(r.body());
        assertFalse(json.path("error").asText().isBlank(), r.body());
        return json;
    }

    @Test
    void itListensOnLoopbackOnTheChosenPort() {
        assertTrue(server.loopback());
        assertTrue(server.port() > 0);
        assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/"), server.uri());
    }

    @Test
    void thePageAndItsFilesAreServedFromTheJarAndNameNothingRemote() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        String html = page.body();
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        Matcher m = Pattern.compile("\\b(src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
        List<String> refs = m.results().map(r -> r.group(2)).toList();
        assertEquals(List.of("tracer.css", "tracer.js"), refs);
        for (String[] f : new String[][]{{"/tracer.js", "text/javascript; charset=utf-8"}, {"/tracer.css", "text/css; charset=utf-8"}}) {
            HttpResponse<String> r = get(f[0]);
            assertEquals(200, r.statusCode(), f[0]);
            assertEquals(f[1], r.headers().firstValue("Content-Type").orElse(""), f[0]);
            assertTrue(r.body().length() > 1000, f[0]);
        }
        String all = (html + get("/tracer.css").body() + get("/tracer.js").body()).toLowerCase(Locale.ROOT);
        all = all.replace("'http://www.w3.org/2000/svg'", "");   // the SVG namespace is a name, not an address
        for (String remote : List.of("http:", "https:", "//cdn", "@import", "innerhtml", "eval(", "new function")) {
            assertFalse(all.contains(remote), "the page loads nothing remote and runs no text as code: " + remote);
        }
        assertFalse(Pattern.compile("url\\((?!#)").matcher(all).find(), "url(...) only for the page's own SVG marker");
    }

    @Test
    void theExamplesAreTheCourses() throws Exception {
        HttpResponse<String> r = get("/api/examples");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode examples = JSON.readTree(r.body());
        assertEquals(List.of("(x*w + b)^2", "(a + b) * b", "x*x + x", Examples.NETWORK),
                List.of(examples.get(0).get("expression").asText(), examples.get(1).get("expression").asText(),
                        examples.get(2).get("expression").asText(), examples.get(3).get("expression").asText()));
        assertEquals(2, examples.get(0).get("values").get("x").asDouble());
    }

    @Test
    void aTraceIsJsonWithValuesGradientsContributionsAndTheBackwardOrder() throws Exception {
        HttpResponse<String> r = post("{\"expression\": \"(a + b) * b\", \"values\": {\"a\": 2, \"b\": 3}}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode t = JSON.readTree(r.body());
        assertEquals(15, t.get("value").asDouble());
        assertEquals("n3", t.get("output").asText());
        // the engine's order: the product, the sum, then the leaves in the order their first gradient arrived
        assertEquals("[\"n3\",\"n2\",\"n1\",\"n0\"]", t.get("backwardOrder").toString());
        JsonNode b = t.get("nodes").get(1);
        assertEquals("b", b.get("label").asText());
        assertEquals("leaf", b.get("kind").asText());
        assertEquals(8, b.get("grad").asDouble());
        assertEquals(8, b.get("numeric").asDouble(), 1e-6);
        assertEquals(2, b.get("contributions").size());
        assertEquals("a + b", b.get("contributions").get(0).get("through").asText());
        assertEquals("n2", b.get("contributions").get(0).get("node").asText());
        assertEquals(5, b.get("contributions").get(1).get("value").asDouble());
        assertTrue(t.get("inplace").isNull());
        JsonNode mul = t.get("nodes").get(3);
        assertEquals("[\"n2\",\"n1\"]", mul.get("inputs").toString());
        assertEquals("Mul", mul.get("op").asText());
    }

    @Test
    void theInPlaceTrapAnswersWithGrad4jsErrorAndTheNaiveGradients() throws Exception {
        HttpResponse<String> r = post("{\"expression\": \"(x*w + b)^2\", \"values\": {\"x\": 2, \"w\": 3, \"b\": 1}, \"inplace\": true}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = JSON.readTree(r.body()).get("inplace");
        assertEquals("x", p.get("leaf").asText());
        assertTrue(p.get("error").asText().contains("modified by an in-place operation"), p.toString());
        assertEquals(28, p.get("correct").get("w").asDouble());
        assertEquals(42, p.get("naive").get("w").asDouble());
    }

    @Test
    void numbersThatAreNotFiniteAreStrings() throws Exception {
        HttpResponse<String> r = post("{\"expression\": \"log(x) + 1/y\", \"values\": {\"x\": -1, \"y\": 0}}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode t = JSON.readTree(r.body());
        assertEquals("NaN", t.get("value").asText());
        assertEquals("Infinity", t.get("nodes").get(4).get("value").asText(), t.get("nodes").get(4).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "(x*w + b        | 8",
            "x + * 2         | 4",
            "2x              | 1",
            "foo(x)          | 0",
            "''              | 0",
            "2 + 3           | 0",
    })
    void aMalformedExpressionIsA400WithThePosition(String expression, int position) throws Exception {
        JsonNode e = refused(post(JSON.writeValueAsString(new Trace.Request(expression, null, false, null))), 400);
        assertEquals(position, e.get("position").asInt(), e.toString());
        assertTrue(e.get("error").asText().startsWith("position " + position + ": "), e.toString());
    }

    @Test
    void theExpressionsLimitsAre400sThatSaySo() throws Exception {
        JsonNode longOne = refused(post(JSON.writeValueAsString(new Trace.Request("x+".repeat(300) + "x", null, false, null))), 400);
        assertEquals(500, longOne.get("position").asInt());
        assertTrue(longOne.get("error").asText().contains("the limit is 500"), longOne.toString());
        JsonNode deep = refused(post(JSON.writeValueAsString(new Trace.Request("(".repeat(100) + "x" + ")".repeat(100), null,
                false, null))), 400);
        assertTrue(deep.get("error").asText().contains("nested more than 50 levels deep"), deep.toString());
        JsonNode big = refused(post(JSON.writeValueAsString(new Trace.Request("x" + "*x".repeat(120), null, false, null))), 400);
        assertTrue(big.get("error").asText().contains("more than 200 nodes"), big.toString());
    }

    @Test
    void aBodyOverSixteenKilobytesIsA413() throws Exception {
        String huge = "{\"expression\": \"x\", \"values\": {\"x\": 1" + " ".repeat(TracerServer.MAX_BODY) + "}}";
        JsonNode e = refused(post(huge), 413);
        assertTrue(e.get("error").asText().contains("the limit is 16384 bytes"), e.toString());
        String justUnder = "{\"expression\": \"x\", \"values\": {\"x\": 1}}";
        justUnder = justUnder + " ".repeat(TracerServer.MAX_BODY - justUnder.length());
        assertEquals(200, post(justUnder).statusCode());
    }

    @Test
    void aBodyOverTheLimitWithoutALengthIsA413Too() throws Exception {
        String huge = "{\"expression\": \"x\"" + " ".repeat(TracerServer.MAX_BODY + 10) + "}";
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/api/trace"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))   // chunked
                .build();
        refused(http.send(request, HttpResponse.BodyHandlers.ofString()), 413);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "\"x\"", "{\"expression\": \"x\"} {}", "{\"expression\": 3}",
            "{\"expression\": \"x\", \"values\": {\"x\": \"2\"}}", "{\"expression\": \"x\", \"values\": [1]}",
            "{\"expression\": \"x\", \"values\": {\"x\": 1e999}}", "{\"expression\": \"x\", \"values\": {\"x\": null}}",
            "{\"expression\": \"x\", \"values\": {\"y\": 1}}", "{\"expression\": \"x\", \"inplace\": true, \"mutate\": \"q\"}",
            "{\"expression\": \"x\", \"run\": \"rm -rf /\"}", "{}", ""})
    void aBodyThatIsNotATraceRequestIsA400(String body) throws Exception {
        refused(post(body), 400);
    }

    @Test
    void deeplyNestedJsonIsA400() throws Exception {
        refused(post("[".repeat(5000) + "]".repeat(5000)), 400);
        refused(post("{\"expression\": \"x\", \"values\": " + "{\"a\": ".repeat(2000) + "1" + "}".repeat(2001)), 400);
    }

    @Test
    void anUnknownFieldIsNamed() throws Exception {
        JsonNode e = refused(post("{\"expression\": \"x\", \"code\": 1}"), 400);
        assertEquals("unknown field \"code\"; a trace request has expression, values, inplace and mutate", e.get("error").asText());
    }

    @Test
    void aBodyThatIsNotJsonByItsTypeIsA415() throws Exception {
        refused(send("POST", "/api/trace", "text/plain", "{\"expression\": \"x\"}"), 415);
        refused(send("POST", "/api/trace", "application/x-www-form-urlencoded", "expression=x"), 415);
        refused(send("POST", "/api/trace", null, "{\"expression\": \"x\"}"), 415);
        assertEquals(200, send("POST", "/api/trace", "application/json; charset=utf-8", "{\"expression\": \"x\"}").statusCode());
    }

    @ParameterizedTest
    @CsvSource({
            "/, POST, GET", "/, PUT, GET", "/, DELETE, GET", "/, PATCH, GET", "/, OPTIONS, GET", "/, TRACE, GET",
            "/tracer.js, POST, GET", "/tracer.css, DELETE, GET",
            "/api/examples, POST, GET", "/api/examples, PUT, GET",
            "/api/trace, GET, POST", "/api/trace, PUT, POST", "/api/trace, DELETE, POST", "/api/trace, PATCH, POST",
            "/api/trace, OPTIONS, POST", "/api/trace, TRACE, POST", "/api/trace, CONNECTX, POST",
    })
    void aWrongMethodIsA405WithAllow(String path, String method, String allowed) throws Exception {
        HttpResponse<String> r = send(method, path, "application/json", method.equals("GET") ? null : "{}");
        JsonNode e = refused(r, 405);
        assertEquals(allowed, r.headers().firstValue("Allow").orElse(""));
        assertTrue(e.get("error").asText().startsWith(method + " is not allowed here"), e.toString());
    }

    @Test
    void headIsRefusedWithoutABody() throws Exception {
        HttpResponse<String> r = send("HEAD", "/", null, null);
        assertEquals(405, r.statusCode());
        assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
        assertEquals("", r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/index.html", "/tracer", "/api", "/api/", "/api/trace/x", "/api/examples/1", "/favicon.ico",
            "/tracer/index.html", "/../pom.xml", "/%2e%2e/pom.xml", "/tracer.js/", "/TRACER.JS",
            "/dev/grad4j/samples/tracer/TracerServer.class"})
    void anUnknownPathIsA404(String path) throws Exception {
        refused(get(path), 404);
        refused(send("POST", path, "application/json", "{}"), 404);
    }

    /** A raw request: the Java client will not let a test set Host. */
    private static String rawStatusLine(String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/examples HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.lines().findFirst().orElse("");
        }
    }

    @Test
    void onLoopbackOnlyRequestsToThisMachineAreAnswered() throws Exception {
        int port = server.port();
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port, "localhost")) {
            assertEquals("HTTP/1.1 200 OK", rawStatusLine(host), host);
        }
        for (String host : List.of("evil.example:" + port, "evil.example", "localhost.evil.example:" + port,
                "127.0.0.1.nip.io:" + port)) {
            assertTrue(rawStatusLine(host).startsWith("HTTP/1.1 403"), host + " (a page that rebound its name here)");
        }
    }

    @Test
    void theSubcommandStartsOnAFreePortAndSaysWhere() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (TracerServer s = TracerFixture.start(out, "--port", "0", "--backend", "ejml")) {
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("Gradient Tracer at http://127.0.0.1:" + s.port() + "/"), printed);
            assertFalse(printed.contains("warning"), printed);
            assertEquals(200, http.send(HttpRequest.newBuilder(s.uri().resolve("/api/examples")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        bytes.reset();
        try (TracerServer s = TracerFixture.start(out, "--port", "0", "--host", "0.0.0.0", "--backend", "ejml")) {
            String printed = bytes.toString(StandardCharsets.UTF_8);
            assertFalse(s.loopback());
            assertTrue(printed.contains("warning: listening on 0.0.0.0, not on loopback"), printed);
        }
        String help = Samples.commandLine().getSubcommands().get("tracer").getUsageMessage();
        assertTrue(help.contains("--port") && help.contains("--host") && help.contains("--backend"), help);
    }
}
