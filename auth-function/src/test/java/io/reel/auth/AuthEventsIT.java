package io.reel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every events/ sample, sent as Lambda sends it (the file's bytes to the stream entry point Lambda picks), reaches the
 * handler and gets a deliberate answer (never a 5xx).
 */
@ExtendWith(LocalAwsExtension.class)
class AuthEventsIT {
    @TempDir
    Path keys;

    @Test
    void everySample_isAnsweredDeliberately(AwsTestResources aws) throws Exception {
        var handler = new AuthHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString())));
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("../events"))) {
            samples = files.filter(f -> f.getFileName().toString().matches("(auth|admin)-.*\\.json")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(10);

        for (Path sample : samples) {
            var out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(sample)), out, null);
            JsonNode response = Json.mapper().readTree(out.toByteArray());
            int status = response.path("statusCode").asInt();
            String name = sample.getFileName().toString();
            assertThat(status).as(name + ": " + response).isBetween(200, 499);
            switch (name) {
                case "auth-login-bad-json.json" -> assertThat(status).isEqualTo(400);
                case "auth-login.json" -> assertThat(status).as("no such user here").isEqualTo(401);
                case "auth-jwks.json", "admin-list-users.json" -> assertThat(status).isEqualTo(200);
                case "admin-create-user.json" -> assertThat(status).isEqualTo(201);
                default -> { }
            }
        }
    }
}
