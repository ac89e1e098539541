package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The devserver as a client sees it, against the fixture template and fixture handlers. */
class DevServerIT {
    static final Path FIXTURE = Path.of("src/test/resources/fixture");
    private static DevServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = DevServer.builder()
                .template(FIXTURE.resolve("template.yaml"))
                .siteDirectory(FIXTURE.resolve("site"))
                .port(0)
                .s3RetryDelays(java.util.List.of(Duration.ofMillis(100), Duration.ofMillis(200)))
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Nested
    class Routing {
        @Test
        void literalRoute_beatsParameterRoute() throws Exception {
            assertThat(echo(get("/api/items/special", "Bearer allow-ana")).path("resource").asText()).isEqualTo("/items/special");
            JsonNode item = echo(get("/api/items/abc", "Bearer allow-ana"));
            assertThat(item.path("resource").asText()).isEqualTo("/items/{id}");
            assertThat(item.path("pathParameters").path("id").asText()).isEqualTo("abc");
        }

        @Test
        void pathParameters_areDecoded() throws Exception {
            JsonNode item = echo(get("/api/items/a%20b%2Fc%C3%A9", "Bearer allow-ana"));

            assertThat(item.path("pathParameters").path("id").asText()).isEqualTo("a b/cé");
        }

        @Test
        void trailingSlash_matchesTheSameRoute() throws Exception {
            assertThat(echo(get("/api/items/abc/", "Bearer allow-ana")).path("resource").asText()).isEqualTo("/items/{id}");
        }

        @Test
        void greedyProxy_takesTheRestOfThePath() throws Exception {
            JsonNode files = echo(send(HttpRequest.newBuilder(uri("/api/files/a/b/c.txt")).header("Authorization", "Bearer allow-ana")
                    .method("DELETE", HttpRequest.BodyPublishers.noBody())));

            assertThat(files.path("pathParameters").path("proxy").asText()).isEqualTo("a/b/c.txt");
            assertThat(files.path("httpMethod").asText()).isEqualTo("DELETE");
        }

        @Test
        void unknownPathOrMethod_isMissingAuthenticationToken() throws Exception {
            for (HttpResponse<String> response : java.util.List.of(get("/api/nothing-here", null),
                    send(HttpRequest.newBuilder(uri("/api/items/abc")).POST(HttpRequest.BodyPublishers.ofString("x"))))) {
                assertThat(response.statusCode()).isEqualTo(403);
                assertThat(response.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
                assertThat(response.headers().firstValue("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");
            }
        }

        @Test
        void event_carriesQueryHeadersAndContextAsApiGatewayBuildsThem() throws Exception {
            JsonNode event = echo(send(HttpRequest.newBuilder(uri("/api/items/abc?tag=a&tag=b&q=hello%20world&empty="))
                    .header("Authorization", "Bearer allow-ana").header("X-Multi", "1").header("X-Multi", "2")));

            assertThat(event.path("queryStringParameters").path("tag").asText()).isEqualTo("b");
            assertThat(event.path("queryStringParameters").path("q").asText()).isEqualTo("hello world");
            assertThat(event.path("queryStringParameters").path("empty").asText()).isEmpty();
            assertThat(event.path("multiValueQueryStringParameters").path("tag").toString()).isEqualTo("[\"a\",\"b\"]");
            assertThat(event.path("multiValueHeaders").path("X-Multi").toString()).isEqualTo("[\"1\",\"2\"]");
            assertThat(event.path("stage").asText()).isEqualTo("test");
            assertThat(event.path("resourcePath").asText()).isEqualTo("/items/{id}");
            assertThat(event.path("contextPath").asText()).isEqualTo("/test/items/abc");
            assertThat(event.path("sourceIp").asText()).isEqualTo("127.0.0.1");
            assertThat(event.path("requestId").asText()).isNotBlank();
            assertThat(absent(event.path("body"))).isTrue();
        }

        @Test
        void response_keepsMultiValueHeaders() throws Exception {
            var response = get("/api/items/abc", "Bearer allow-ana");

            assertThat(response.headers().allValues("Set-Cookie")).containsExactly("a=1", "b=2");
            assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        }
    }

    @Nested
    class Handlers {
        @Test
        void environment_isResolvedFromGlobalsWithLocalEndpoints() throws Exception {
            JsonNode event = echo(get("/api/public", null));

            assertThat(event.path("env").path("TABLE").asText()).isEqualTo("Items");
            assertThat(event.path("env").path("GREETING").asText()).isEqualTo("hello-us-east-1");
            assertThat(event.path("env").path("MODE").asText()).isEqualTo("testing");
            assertThat(event.path("env").path("AWS_ENDPOINT_URL_DYNAMODB").asText()).startsWith("http://127.0.0.1:");
            assertThat(event.path("functionName").asText()).isEqualTo("EchoFunction");
            assertThat(event.path("remainingMs").asInt()).isBetween(1, 5_000);
        }

        @Test
        void binaryBody_roundTripsAsBase64() throws Exception {
            byte[] bytes = new byte[70_000];
            new Random(3).nextBytes(bytes);

            var response = HTTP.send(HttpRequest.newBuilder(uri("/api/binary")).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(bytes);
        }

        @Test
        void throwingHandler_is502WithoutInternals() throws Exception {
            var response = get("/api/boom", null);

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).isEqualTo("{\"message\":\"Internal server error\"}").doesNotContain("kaboom");
        }

        @Test
        void malformedProxyResponse_is502() throws Exception {
            var response = get("/api/malformed", null);

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("Internal server error");
        }

        @Test
        void hangingHandler_is504AfterItsTimeout() throws Exception {
            long started = System.nanoTime();
            var response = get("/api/slow", null);
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).isEqualTo("{\"message\":\"Endpoint request timed out\"}");
            assertThat(tookMs).as("answered once the 1 s Timeout passed, not after the 30 s sleep").isBetween(900L, 10_000L);
        }

        @Test
        void bodyOver10Mb_is413() throws Exception {
            var response = send(HttpRequest.newBuilder(uri("/api/binary")).header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10 * 1024 * 1024 + 1])));

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("Request Too Long");
        }
    }

    @Nested
    class Authorizer {
        @Test
        void missingOrMalformedToken_is401WithoutCallingTheAuthorizer() throws Exception {
            long before = calls();
            for (String header : new String[] {null, "", "Basic abc", "Bearer a b", "bearer allow-ana", "Bearer  allow-ana"}) {
                var response = get("/api/items/abc", header);
                assertThat(response.statusCode()).as("Authorization: %s", header).isEqualTo(401);
                assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
            }
            assertThat(calls()).isEqualTo(before);
        }

        @Test
        void tokenCase_isKeptOnAReusedConnection() throws Exception {
            String token = "Bearer allow-Case" + System.nanoTime();
            assertThat(get("/api/items/abc", token.toLowerCase(java.util.Locale.ROOT)).statusCode()).isEqualTo(401);

            JsonNode authorizer = echo(get("/api/items/abc", token)).path("authorizer");

            assertThat(authorizer.path("username").asText()).isEqualTo(token.substring("Bearer allow-".length()));
        }

        @Test
        void authorizerSaysUnauthorized_is401() throws Exception {
            assertThat(get("/api/items/abc", "Bearer unauthorized").statusCode()).isEqualTo(401);
        }

        @Test
        void allow_propagatesPrincipalAndContext() throws Exception {
            JsonNode authorizer = echo(get("/api/items/abc", "Bearer allow-bea")).path("authorizer");

            assertThat(authorizer.path("principalId").asText()).isEqualTo("u-bea");
            assertThat(authorizer.path("userId").asText()).isEqualTo("u-bea");
            assertThat(authorizer.path("username").asText()).isEqualTo("bea");
        }

        @Test
        void explicitDeny_is403() throws Exception {
            var response = get("/api/items/abc", "Bearer deny-cy");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).isEqualTo("{\"Message\":\"User is not authorized to access this resource with an explicit deny\"}");
        }

        @Test
        void policyWithoutThisMethod_is403_evenFromCache() throws Exception {
            assertThat(get("/api/items/abc", "Bearer readonly-dee").statusCode()).isEqualTo(200);

            var response = send(HttpRequest.newBuilder(uri("/api/upload")).header("Authorization", "Bearer readonly-dee")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("User is not authorized to access this resource");
        }

        @Test
        void failingAuthorizerOrBadContext_is500() throws Exception {
            assertThat(get("/api/items/abc", "Bearer broken").statusCode()).isEqualTo(500);
            var nested = get("/api/items/abc", "Bearer nested");
            assertThat(nested.statusCode()).isEqualTo(500);
            assertThat(nested.headers().firstValue("x-amzn-ErrorType")).contains("AuthorizerConfigurationException");
        }

        @Test
        void result_isCachedPerTokenForReauthorizeEvery() throws Exception {
            String token = "Bearer allow-cache" + System.nanoTime();
            long before = calls();
            assertThat(get("/api/items/a", token).statusCode()).isEqualTo(200);
            assertThat(get("/api/items/b", token).statusCode()).isEqualTo(200);
            assertThat(get("/api/files/c", token).statusCode()).isEqualTo(200);
            assertThat(calls() - before).as("one call for three requests within ReauthorizeEvery").isEqualTo(1);

            Thread.sleep(2_200);
            assertThat(get("/api/items/a", token).statusCode()).isEqualTo(200);
            assertThat(calls() - before).as("a new call once the 2 s cache expired").isEqualTo(2);
        }

        @Test
        void publicRoute_needsNoToken() throws Exception {
            var response = get("/api/public", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(absent(echo(response).path("authorizer"))).isTrue();
        }

        private long calls() {
            return server.authorizer("TokenAuth").orElseThrow().invocations();
        }
    }

    @Nested
    class Http {
        @Test
        void malformedRequestLine_is400() throws Exception {
            assertThat(raw("NOT-HTTP\r\n\r\n")).startsWith("HTTP/1.1 400");
        }

        @Test
        void oversizedHeaders_areRefused() throws Exception {
            String big = "x".repeat(12 * 1024);
            assertThat(raw("GET /api/public HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\n\r\n")).startsWith("HTTP/1.1 431");
        }

        private String raw(String request) throws Exception {
            try (Socket socket = new Socket("127.0.0.1", server.baseUri().getPort())) {
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                return new String(in.readNBytes(64), StandardCharsets.ISO_8859_1);
            }
        }
    }

    @Nested
    class Site {
        @Test
        void root_servesIndexHtmlUncached() throws Exception {
            var response = get("/", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-cache");
            assertThat(response.body()).contains("Fixture site");
        }

        @Test
        void hashedAssets_areCachedForAYear_otherFilesForAnHour_andRevalidated() throws Exception {
            var response = get("/assets/app.js", null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
            assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
            assertThat(get("/robots.txt", null).headers().firstValue("Cache-Control")).contains("public, max-age=3600");

            String etag = response.headers().firstValue("ETag").orElseThrow();
            var again = send(HttpRequest.newBuilder(uri("/assets/app.js")).header("If-None-Match", etag));
            assertThat(again.statusCode()).isEqualTo(304);
        }

        @Test
        void everyResponse_carriesTheSecurityHeaders_withTheMediaOriginInTheCsp() throws Exception {
            String s3 = SiteHeaders.origin(server.localAws().s3Endpoint());
            for (String path : List.of("/", "/assets/app.js", "/watch/abc", "/nope.html")) {
                var response = get(path, null);
                String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow();
                assertThat(csp).as(path).contains("default-src 'self'", "script-src 'self';", "frame-ancestors 'none'",
                        "object-src 'none'", "img-src 'self' " + s3, "media-src 'self' blob: " + s3, "connect-src 'self' " + s3);
                assertThat(csp).as("no inline or foreign script").doesNotContain("script-src 'self' 'unsafe", "*");
                assertThat(response.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
                assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
                assertThat(response.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
            }
        }

        @Test
        void thePagesOwnRoutes_getIndexHtml_soAReloadWorks() throws Exception {
            for (String path : List.of("/watch/abc", "/admin", "/signin?next=%2Fadmin", "/a/b/c")) {
                var response = get(path, null);
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                assertThat(response.body()).as(path).contains("Fixture site");
                assertThat(response.headers().firstValue("Cache-Control")).as(path).contains("no-cache");
            }
        }

        @Test
        void text_isGzippedWhenTheClientTakesIt() throws Exception {
            var plain = get("/assets/app.js", null);
            var zipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/assets/app.js"))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(zipped.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(zipped.headers().firstValue("Vary")).contains("Accept-Encoding");
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain.body());
            }
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        }

        @Test
        void missingFilesAndEscapes_are404() throws Exception {
            assertThat(get("/nope.html", null).statusCode()).isEqualTo(404);
            assertThat(get("/assets/missing", null).statusCode()).as("no fallback inside assets").isEqualTo(404);
            assertThat(get("/assets/missing.js", null).statusCode()).isEqualTo(404);
            assertThat(get("/%2e%2e/template.yaml", null).statusCode()).isIn(400, 404);
            assertThat(get("/assets/..%2F..%2Ftemplate.yaml", null).statusCode()).isIn(400, 404);
        }

        @Test
        void otherMethods_are405() throws Exception {
            assertThat(send(HttpRequest.newBuilder(uri("/")).POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode()).isEqualTo(405);
        }
    }

    static URI uri(String path) {
        return URI.create(server.baseUri() + path);
    }

    static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (authorization != null && !authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    static JsonNode echo(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }
}
