package io.reel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every events/ sample, read by Lambda's deserializer, reaches the handler and gets a deliberate answer (never a 5xx). */
@ExtendWith(LocalAwsExtension.class)
class AuthEventsIT {
    @TempDir
    Path keys;

    @Test
    void everySample_isAnsweredDeliberately(AwsTestResources aws) throws Exception {
        var handler = new AuthHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString())));
        var serializer = LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, getClass().getClassLoader());
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("../events"))) {
            samples = files.filter(f -> f.getFileName().toString().matches("(auth|admin)-.*\\.json")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(10);

        for (Path sample : samples) {
            var response = handler.handleRequest(serializer.fromJson(Files.readString(sample)), null);
            String name = sample.getFileName().toString();
            assertThat(response.getStatusCode()).as(name + ": " + response.getBody()).isBetween(200, 499);
            switch (name) {
                case "auth-login-bad-json.json" -> assertThat(response.getStatusCode()).isEqualTo(400);
                case "auth-login.json" -> assertThat(response.getStatusCode()).as("no such user here").isEqualTo(401);
                case "auth-jwks.json", "admin-list-users.json" -> assertThat(response.getStatusCode()).isEqualTo(200);
                case "admin-create-user.json" -> assertThat(response.getStatusCode()).isEqualTo(201);
                default -> { }
            }
        }
    }
}
