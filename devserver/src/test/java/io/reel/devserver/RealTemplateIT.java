package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.core.local.LocalPlatformFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project's own template.yaml on the devserver: the auth function answers, with the demo accounts of first start. */
class RealTemplateIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void demoAdmin_signsIn_refreshes_andTheKeysArePublished(@TempDir Path data) throws Exception {
        DemoAccounts.Credential admin;
        try (DevServer server = start(data)) {
            admin = server.demoAccounts().orElseThrow().accounts().stream()
                    .filter(a -> a.role().equals("admin")).findFirst().orElseThrow();
            assertThat(LocalPlatformFile.read(data)).get().satisfies(f -> assertThat(f.url()).isEqualTo(server.baseUri().toString()));

            var login = post(server, "/api/auth/login",
                    "{\"username\":\"" + admin.username() + "\",\"password\":\"" + admin.password() + "\"}", null);
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            String token = Json.mapper().readTree(login.body()).path("accessToken").asText();
            assertThat(JWT.decode(token).getClaim("scope").asString()).contains("admin");
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

            assertThat(post(server, "/api/auth/refresh", null, cookie).statusCode()).isEqualTo(200);
            var jwks = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/.well-known/jwks.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode keys = Json.mapper().readTree(jwks.body()).path("keys");
            assertThat(keys.get(0).path("kid").asText()).isEqualTo(JWT.decode(token).getKeyId());
            assertThat(post(server, "/api/auth/login", "{\"username\":\"admin\",\"password\":\"wrong password!!\"}", null)
                    .statusCode()).isEqualTo(401);
        }
        assertThat(LocalPlatformFile.read(data)).as("removed at stop").isEmpty();

        try (DevServer restarted = start(data)) {
            assertThat(restarted.demoAccounts().orElseThrow().accounts()).contains(admin);
            assertThat(post(restarted, "/api/auth/login",
                    "{\"username\":\"" + admin.username() + "\",\"password\":\"" + admin.password() + "\"}", null).statusCode())
                    .as("same key, same accounts after a restart").isEqualTo(200);
        }
    }

    @Test
    void theAuthorizer_guardsEveryRouteButThePublicOnes(@TempDir Path data) throws Exception {
        try (DevServer server = start(data)) {
            var accounts = server.demoAccounts().orElseThrow().accounts();
            String admin = accessToken(server, accounts.stream().filter(a -> a.role().equals("admin")).findFirst().orElseThrow());
            String viewer = accessToken(server, accounts.stream().filter(a -> a.role().equals("viewer")).findFirst().orElseThrow());

            var listed = get(server, "/api/admin/users", "Bearer " + admin);
            assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
            assertThat(listed.body()).contains("\"viewer\"");
            var forbidden = get(server, "/api/admin/users", "Bearer " + viewer);
            assertThat(forbidden.statusCode()).as("a viewer's policy explicitly denies /admin").isEqualTo(403);
            assertThat(forbidden.body()).contains("Your account is not allowed to do this.");
            // API Gateway's own refusals take the template's GatewayResponses: problem+json, as in AWS.
            assertThat(forbidden.headers().firstValue("Content-Type")).contains("application/problem+json");
            JsonNode denied = Json.mapper().readTree(forbidden.body());
            assertThat(denied.path("status").asInt()).isEqualTo(403);
            assertThat(denied.path("title").asText()).isEqualTo("ACCESS_DENIED");
            var unauthorized = get(server, "/api/admin/users", null);
            assertThat(unauthorized.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(Json.mapper().readTree(unauthorized.body())).isEqualTo(Json.mapper().readTree(
                    "{\"type\":\"about:blank\",\"title\":\"UNAUTHORIZED\",\"status\":401,\"detail\":\"Sign in first: the request has "
                    + "no valid access token (it may have expired or been revoked).\"}"));
            var noRoute = get(server, "/api/no/such/route", null);
            assertThat(noRoute.statusCode()).isEqualTo(403);
            assertThat(Json.mapper().readTree(noRoute.body()).path("title").asText()).isEqualTo("MISSING_AUTHENTICATION_TOKEN");
            assertThat(Json.mapper().readTree(noRoute.body()).path("detail").asText()).isEqualTo("There is no such route: check the method and the path.");
            assertThat(noRoute.headers().firstValue("x-amzn-ErrorType")).contains("MissingAuthenticationTokenException");
            assertThat(get(server, "/api/admin/users", null).statusCode()).as("no token").isEqualTo(401);
            assertThat(get(server, "/api/admin/users", "bearer " + admin).statusCode()).as("scheme case").isEqualTo(401);
            String[] parts = admin.split("\\.");
            String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
            assertThat(get(server, "/api/admin/users", "Bearer " + forged).statusCode()).as("tampered payload").isEqualTo(401);
            assertThat(post(server, "/api/auth/logout-all", null, null, "Bearer " + viewer).statusCode()).isEqualTo(204);
            assertThat(get(server, "/api/.well-known/jwks.json", null).statusCode()).as("public route").isEqualTo(200);
            var catalogue = get(server, "/api/videos", "Bearer " + admin);
            assertThat(catalogue.statusCode()).as(catalogue.body()).isEqualTo(200);
            assertThat(Json.mapper().readTree(catalogue.body()).path("items").isArray()).isTrue();
            assertThat(get(server, "/api/videos/..%2F..%2Fetc", "Bearer " + admin).statusCode()).as("not an id").isEqualTo(404);
        }
    }

    private String accessToken(DevServer server, DemoAccounts.Credential account) throws Exception {
        var login = post(server, "/api/auth/login",
                "{\"username\":\"" + account.username() + "\",\"password\":\"" + account.password() + "\"}", null);
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return Json.mapper().readTree(login.body()).path("accessToken").asText();
    }

    private HttpResponse<String> get(DevServer server, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static DevServer start(Path data) {
        return DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data).start();
    }

    private HttpResponse<String> post(DevServer server, String path, String body, String cookie) throws Exception {
        return post(server, path, body, cookie, null);
    }

    private HttpResponse<String> post(DevServer server, String path, String body, String cookie, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
