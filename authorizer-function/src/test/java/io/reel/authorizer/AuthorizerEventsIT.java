package io.reel.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.Json;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.domain.Role;
import io.reel.core.domain.TokenClaims;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.RsaKeys;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events/authorizer-*.json samples, sent as Lambda sends them (the file's bytes to the stream entry point), through the handler wired from its
 * environment as the devserver wires it (local key folder, DynamoDB Local). The samples carry a placeholder where a
 * fresh access token goes (tokens expire); this test signs one for a viewer with the key the handler loads.
 */
@ExtendWith(LocalAwsExtension.class)
class AuthorizerEventsIT {
    @TempDir
    Path keys;

    @Test
    void allowed_denied_andMalformedSamples(AwsTestResources aws) throws Exception {
        String username = "viewer" + UUID.randomUUID().toString().substring(0, 8);
        var users = new DynamoDbUserStore(aws.dynamoDb(), aws.table("UsersTable"));
        users.create(new User("u-" + username, username, "$argon2id$unused", Set.of(Role.VIEWER), UserStatus.ACTIVE, 0, 0, null,
                null, Instant.now()));
        var handler = new AuthorizerHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString(),
                "TOKEN_ISSUER", "urn:reel:test", "TOKEN_AUDIENCE", "reel-api")));
        var signer = JwtTokenSigner.withKeyPair("urn:reel:test", "reel-api", RsaKeys.loadOrCreate(keys.resolve("signing-key.pem")));
        Instant now = Instant.now();
        String token = signer.sign(new TokenClaims("u-" + username, username, Role.VIEWER.scopes(), 0, "t1", now,
                now.plus(Duration.ofMinutes(15))));

        var allowed = invoke(handler, sample("allowed", token));
        assertThat(allowed).containsEntry("principalId", "u-" + username);
        assertThat(statement(allowed, "Allow")).anyMatch(r -> r.endsWith("/prod/GET/videos"));
        assertThat(allowed.get("context")).isEqualTo(Map.of("userId", "u-" + username, "username", username,
                "scopes", "videos:read", "roles", "viewer"));

        var denied = invoke(handler, sample("denied", token));
        assertThat(statement(denied, "Deny")).as("an admin route is denied explicitly: 403")
                .contains("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/admin/*");
        assertThat(statement(denied, "Allow")).noneMatch(r -> r.contains("/admin/"));

        assertThatThrownBy(() -> invoke(handler, sample("malformed", token)))
                .as("alg none").isInstanceOf(Unauthorized.class).hasMessage("Unauthorized");
    }

    @Test
    void refusedTokens_areCounted_allowedOnesAreNot(AwsTestResources aws) throws Exception {
        List<String> counted = new java.util.ArrayList<>();
        var env = aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString(), "TOKEN_ISSUER", "urn:reel:test",
                "TOKEN_AUDIENCE", "reel-api"));
        var handler = new AuthorizerHandler(AuthorizerHandler.wire(env), counted::add);

        assertThatThrownBy(() -> invoke(handler, sample("malformed", "unused")))
                .isInstanceOf(Unauthorized.class);
        assertThatThrownBy(() -> handler.handleRequest(null, null)).isInstanceOf(Unauthorized.class);

        assertThat(counted).containsExactly("TokenRefused", "TokenRefused");
    }

    /** The event's bytes to the entry point Lambda calls; the policy read back from what it wrote. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> invoke(AuthorizerHandler handler, String event) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        handler.handleRequest(new java.io.ByteArrayInputStream(event.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, null);
        return Json.mapper().readValue(out.toByteArray(), Map.class);
    }

    private static String sample(String name, String token) throws Exception {
        return Files.readString(Path.of("../events/authorizer-" + name + ".json")).replace("REPLACE_WITH_VIEWER_ACCESS_TOKEN", token);
    }

    @SuppressWarnings("unchecked")
    private static List<String> statement(Map<String, Object> answer, String effect) {
        var policy = (Map<String, Object>) answer.get("policyDocument");
        return ((List<Map<String, Object>>) policy.get("Statement")).stream().filter(s -> effect.equals(s.get("Effect")))
                .flatMap(s -> ((List<String>) s.get("Resource")).stream()).toList();
    }
}
