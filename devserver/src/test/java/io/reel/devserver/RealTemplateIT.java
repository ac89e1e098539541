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

    private static DevServer start(Path data) {
        return DevServer.builder().template(Path.of("../template.yaml")).siteDirectory(Path.of("../frontend"))
                .port(0).dataDirectory(data).start();
    }

    private HttpResponse<String> post(DevServer server, String path, String body, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
