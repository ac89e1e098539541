package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.devserver.app.ApiRoute;
import io.reel.devserver.gateway.RouteTable;
import io.reel.fuzz.ApiWrites;
import io.reel.fuzz.FuzzStats;
import io.reel.fuzz.FuzzTarget;
import io.reel.fuzz.Hostile;
import io.reel.fuzz.JsonText;
import io.reel.fuzz.Problems;
import io.reel.localaws.calls.AwsCallLog;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the devserver over HTTP, started in memory with the project's own {@code template.yaml} (API Gateway's
 * routing, the authorizer, every function, the static site): raw HTTP/1.1 requests ({@link RawHttp}) with random
 * methods, the template's routes with ids and names filled in or made hostile, paths percent-encoded, double-encoded,
 * with dot segments, doubled slashes or tens of kilobytes long, site paths that try to climb out of the site folder,
 * headers (the demo accounts' access tokens, mutated ones, cookies, origins, huge values) and bodies.
 *
 * <p>Every request gets an answer in time; nothing under {@code /api} answers 5xx; every 4xx the gateway or a function
 * gives is a problem+json with a sentence (Jetty's own refusals of a malformed request - 400, 414, 417, 431 - come
 * before the gateway and are counted apart); a refused API request writes nothing but the designed exceptions; and no site
 * answer ever holds a file from outside the site folder.
 */
class GatewayFuzzIT {
    private static final String OUTSIDE = "SECRET-OUTSIDE-THE-SITE-FOLDER";
    private static DevServer server;
    private static Path data;
    private static Path site;
    private static RouteTable routes;
    private static ApiWrites.Tables tables;
    private static final Map<String, String> tokens = new java.util.LinkedHashMap<>();

    @BeforeContainer
    static void start() throws Exception {
        data = Files.createTempDirectory("gateway-fuzz");
        site = Files.createDirectories(data.resolve("www").resolve("site"));
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>Reel</title>");
        Files.createDirectories(site.resolve("assets"));
        Files.writeString(site.resolve("assets").resolve("app-1a2b.js"), "console.log('reel')");
        Files.writeString(site.resolve("robots.txt"), "User-agent: *");
        Files.writeString(data.resolve("www").resolve("secret.txt"), OUTSIDE);
        Files.writeString(data.resolve("secret.html"), OUTSIDE);
        server = DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(site).port(0)
                .dataDirectory(data.resolve("data")).start();
        routes = new RouteTable(server.routes());
        tables = new ApiWrites.Tables(server.names().table("UsersTable"), server.names().table("SessionsTable"));
        PlatformClient client = new PlatformClient(server);
        for (String role : List.of("viewer", "uploader", "admin")) {
            tokens.put(role, client.token(role));
        }
    }

    @AfterContainer
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        try (var files = Files.walk(data)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One raw request. */
    record Request(String method, String target, List<Map.Entry<String, String>> headers, String body) {
    }

    @Property
    @FuzzTarget(value = "devserver-gateway", tries = 300, timeoutMillis = 30_000)
    void anyRequest_isAnsweredInTime_neverA5xxUnderApi_refusalsAreProblems_andWriteNothing(@ForAll("requests") Request request)
            throws IOException {
        int port = server.baseUri().getPort();
        String target = request.target();
        List<Map.Entry<String, String>> headers = request.headers().stream()
                .map(h -> Map.entry(h.getKey(), fillToken(h.getValue()))).toList();
        byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8);
        RawHttp.Response response;
        List<AwsCallLog.Call> calls;
        try (AwsCallLog.Watch watch = AwsCallLog.watch()) {
            try {
                response = RawHttp.send(port, request.method(), target, headers, body, 20_000);
            } catch (SocketTimeoutException hang) {
                throw new AssertionError("No answer within 20 s to " + request.method() + " " + abbreviate(target), hang);
            }
            calls = watch.calls().stream().filter(c -> c.caller().startsWith("io.reel.auth.") || c.caller().startsWith("io.reel.media."))
                    .toList();
        }
        String path = target.split("\\?", 2)[0];
        boolean api = path.equals("/api") || path.startsWith("/api/");
        boolean fromGateway = response.headers().containsKey("x-amzn-requestid");
        int status = response.status();
        String where = request.method() + " " + abbreviate(target) + " -> " + status + " " + response.headers() + "\n  "
                + abbreviate(response.text()) + "\n  headers sent: " + abbreviate(String.valueOf(headers)) + "\n  body sent: "
                + abbreviate(request.body());
        assertThat(response.text()).as("a file from outside the site folder: " + where).doesNotContain(OUTSIDE);
        if (!api) {
            FuzzStats.outcome("site " + status);
            assertThat(status).as("the site answers no 5xx: " + where).isLessThan(500);
            return;
        }
        if (!fromGateway) {
            // Jetty refused the request itself before the gateway saw it, as HTTP/1.1 says a server must: a malformed
            // target (400), too long a URI (414) or header section (431), an Expect it cannot meet (417). In AWS,
            // CloudFront answers these; they are not the API's answers.
            FuzzStats.outcome("api, refused by the HTTP server " + status);
            assertThat(status).as("only a malformed request is refused before the gateway: " + where).isIn(400, 413, 414, 417, 431);
            return;
        }
        Optional<RouteTable.Match> match = routes.match(request.method(), path.substring("/api".length()).isEmpty() ? "/"
                : path.substring("/api".length()));
        FuzzStats.outcome("api " + match.map(m -> m.route().method() + " " + m.route().path()).orElse("(no route)") + " " + status);
        assertThat(status).as("no 5xx under /api: " + where).isBetween(100, 499);
        if (status >= 400 && !request.method().equals("HEAD")) {
            assertThat(Problems.problemWith(status, response.headers(), response.text())).as(where).isEmpty();
        }
        List<AwsCallLog.Call> unexpected = ApiWrites.unexpected(request.method(), match.map(m -> m.route().path()).orElse(path),
                status, calls, tables);
        assertThat(unexpected).as("a write on a " + status + ":" + ApiWrites.describe(unexpected) + "\n" + where).isEmpty();
    }

    private static String fillToken(String value) {
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            value = value.replace("\u27e8" + token.getKey() + "\u27e9", token.getValue());
        }
        return value;
    }

    private static String abbreviate(String text) {
        return Problems.abbreviate(text);
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Request> requests() {
        List<ApiRoute> apiRoutes = server.routes();
        Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just("{route}")),
                Tuple.of(3, Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")),
                Tuple.of(1, Arbitraries.of("get", "TRACE", "CONNECT", "PROPFIND", "M-SEARCH", "FOO", "G3T")));
        Arbitrary<String> apiPath = Combinators.combine(Arbitraries.of(apiRoutes), segmentValues(), segmentValues())
                .as((route, first, second) -> Map.entry(route, "/api" + route.path().replaceFirst("\\{[^}]+\\}", first)
                        .replaceFirst("\\{[^}]+\\}", second)))
                .map(e -> e.getKey().method() + "\u0000" + e.getValue());
        Arbitrary<String> sitePath = Arbitraries.of("/", "/index.html", "/watch/abc", "/assets/app-1a2b.js", "/assets/missing.js",
                "/robots.txt", "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/assets/../../secret.txt",
                "/%2e%2e/%2e%2e/secret.html", "/..\\secret.txt", "/%5c..%5csecret.txt", "/assets/%2e%2e/%2e%2e/secret.txt",
                "/%00", "/index.html%00.js", "/.", "/assets/", "//secret.txt", "/%252e%252e/secret.txt", "/%c0%ae%c0%ae/secret.txt")
                .map(p -> "GET\u0000" + p);
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.frequencyOf(Tuple.of(6, apiPath), Tuple.of(1, sitePath)),
                PathMutation.arbitrary(), Arbitraries.integers().between(0, 1 << 16), Hostile.strings())
                .as((methodAndPath, mutation, at, text) -> {
                    String[] parts = methodAndPath.split("\u0000", 2);
                    return parts[0] + "\u0000" + mutation.apply(parts[1], at, text);
                });
        Arbitrary<String> query = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")),
                Tuple.of(2, Arbitraries.of("?limit=2", "?owner=me", "?limit=0", "?cursor=garbage", "?token=1.AAAA", "?uploadId=x",
                        "?limit=%zz", "?&&=&", "?a=1&a=2", "?" + "x=1&".repeat(500))),
                Tuple.of(1, Combinators.combine(Hostile.strings(), Hostile.strings()).as((k, v) -> "?" + encode(k) + "=" + encode(v))));
        return Combinators.combine(method, mutated, query, headers(), body())
                .as((m, methodAndPath, q, h, b) -> {
                    String[] parts = methodAndPath.split("\u0000", 2);
                    String chosen = m.equals("{route}") ? (parts[0].equals("ANY") ? "GET" : parts[0]) : m;
                    return new Request(chosen, parts[1] + q, h, b);
                });
    }

    /** What goes into a path parameter: ids and names that exist or could, and hostile ones, percent-encoded or raw. */
    private static Arbitrary<String> segmentValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("abcdefghijklmnopqrstuvwxyz", "master.m3u8", "viewer", "admin", "uploader", "nobody-here")),
                Tuple.of(2, Arbitraries.of("..", ".", "%2e%2e", "..%2F..%2Fetc", "%2F", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "%00", "%",
                        "%zz", "a%2Fb", "%E2%80%AE", "%ED%A0%80", "%C0%AE", "", "x".repeat(300))),
                Tuple.of(2, Hostile.strings().map(GatewayFuzzIT::encode)));
    }

    /** Changes made to a path. */
    enum PathMutation {
        NONE, TRAILING_SLASH, DOUBLE_SLASH, DOT_SEGMENT, DOT_DOT_SEGMENT, ENCODE_A_CHARACTER, DOUBLE_ENCODE, UPPER_CASE,
        LONG, HUGE, RAW_TEXT, ENCODED_TEXT_SEGMENT, SEMICOLON, BACKSLASH;

        /** Mostly the path as it is, so that routes are reached; each change now and then. */
        static Arbitrary<PathMutation> arbitrary() {
            return Arbitraries.frequencyOf(Tuple.of(values().length, Arbitraries.just(NONE)), Tuple.of(values().length, Arbitraries.of(values())));
        }

        String apply(String path, int at, String text) {
            int i = path.isEmpty() ? 0 : 1 + at % Math.max(1, path.length() - 1);
            return switch (this) {
                case NONE -> path;
                case TRAILING_SLASH -> path + "/";
                case DOUBLE_SLASH -> path.substring(0, i) + "/" + path.substring(i);
                case DOT_SEGMENT -> path.replaceFirst("/api/", "/api/./");
                case DOT_DOT_SEGMENT -> path.replaceFirst("/api/", at % 2 == 0 ? "/api/videos/../" : "/api/x/../../");
                case ENCODE_A_CHARACTER -> i >= path.length() ? path
                        : path.substring(0, i) + "%" + HexFormat.of().withUpperCase().toHexDigits((byte) path.charAt(i)) + path.substring(i + 1);
                case DOUBLE_ENCODE -> path.replace("%", "%25");
                case UPPER_CASE -> path.toUpperCase(Locale.ROOT);
                case LONG -> path + "/" + "a".repeat(2_000 + at % 6_000);
                case HUGE -> path + "/" + "a".repeat(70_000);
                // Raw text in the request line: spaces, controls and non-ASCII a client should have encoded.
                case RAW_TEXT -> path + "/" + text.replace("\r", "").replace("\n", "");
                case ENCODED_TEXT_SEGMENT -> path + "/" + encode(text);
                case SEMICOLON -> path + ";jsessionid=" + (at % 1000);
                case BACKSLASH -> path.replace('/', at % 2 == 0 ? '\\' : '/').replaceFirst("^\\\\", "/");
            };
        }
    }

    private static Arbitrary<List<Map.Entry<String, String>>> headers() {
        Arbitrary<String> authorization = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("viewer", "uploader", "admin").map(role -> "Bearer \u27e8" + role + "\u27e9")),
                Tuple.of(2, Arbitraries.of("Bearer \u27e8admin\u27e9x", "bearer \u27e8admin\u27e9", "Bearer", "Basic YTpi", "Bearer a.b.c",
                        "Bearer \u27e8viewer\u27e9.\u27e8admin\u27e9")),
                Tuple.of(1, Hostile.headerValues()));
        Arbitrary<Map.Entry<String, String>> extra = Combinators.combine(Arbitraries.of("Cookie", "Origin", "Sec-Fetch-Site",
                "Content-Type", "Accept-Encoding", "If-None-Match", "X-Forwarded-For", "User-Agent", "Range", "Expect",
                "Transfer-Encoding", "X-Amzn-RequestId", "Content-Encoding"), Hostile.headerValues()).as(Map::entry);
        Arbitrary<List<Map.Entry<String, String>>> parts = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(3, authorization.map(v -> Map.entry("Authorization", v))),
                        Tuple.of(1, Arbitraries.just((Map.Entry<String, String>) null))),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("application/json", "application/json; charset=utf-8", "text/plain",
                                "application/x-www-form-urlencoded", "video/mp4", "multipart/form-data; boundary=x")
                                .map(v -> Map.entry("Content-Type", v))),
                        Tuple.of(1, Arbitraries.just((Map.Entry<String, String>) null))),
                Arbitraries.frequencyOf(Tuple.of(1, extra), Tuple.of(2, Arbitraries.just((Map.Entry<String, String>) null))),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(Map.entry("X-Big", "v".repeat(9_000)),
                        Map.entry("X-Huge", "v".repeat(70_000)), Map.entry("Cookie", "reel_refresh=" + "c".repeat(5_000)))),
                        Tuple.of(25, Arbitraries.just((Map.Entry<String, String>) null))))
                .as((a, b, c, d) -> {
                    List<Map.Entry<String, String>> list = new ArrayList<>(Arrays.asList(a, b, c, d));
                    list.removeIf(e -> e == null);
                    // A header line cannot hold a line break (that would be another header): only the value's other bytes.
                    return list.stream().map(e -> Map.entry(e.getKey(), e.getValue().replaceAll("[\r\n]", " "))).toList();
                });
        return parts;
    }

    private static Arbitrary<String> body() {
        var login = List.of(JsonText.field("username", JsonText.strings(Arbitraries.of("viewer", "admin", "nobody-here"))),
                JsonText.field("password", JsonText.strings(Arbitraries.of("wrong password!!", "x"))));
        var video = List.of(JsonText.field("title", JsonText.strings(Hostile.strings())),
                JsonText.field("fileName", JsonText.strings(Arbitraries.of("clip.mp4", "x.exe"))),
                JsonText.field("contentType", JsonText.strings(Arbitraries.of("video/mp4", "text/html"))),
                JsonText.field("size", Arbitraries.of("1000", "-1", "1e99")));
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just((String) null)), Tuple.of(2, JsonText.bodies(login)),
                Tuple.of(2, JsonText.bodies(video)), Tuple.of(1, JsonText.notObjects()));
    }

    /** Percent-encoding of the text's UTF-8 bytes, every byte but unreserved characters. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }
}
