package io.reel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The auth function as API Gateway calls it, wired from its environment against DynamoDB Local and local keys. */
@ExtendWith(LocalAwsExtension.class)
class AuthHandlerIT {
    private static final String PASSWORD = "a perfectly long passphrase";
    private static final Map<String, Object> ADMIN = Map.of("principalId", "u-admin", "userId", "u-admin", "username", "root",
            "scopes", "admin videos:read videos:upload");
    @TempDir
    static Path keys;
    private static AuthHandler handler;
    private static DynamoDbUserStore users;

    private static io.reel.core.Env awsEnv;
    private static software.amazon.awssdk.services.dynamodb.DynamoDbClient sessionsTable;
    private static String sessionsTableName;

    @BeforeAll
    static void wire(AwsTestResources aws) {
        awsEnv = aws.env(Map.of());
        handler = new AuthHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString())));
        users = new DynamoDbUserStore(aws.dynamoDb(), aws.table("UsersTable"));
        sessionsTable = aws.dynamoDb();
        sessionsTableName = aws.table("SessionsTable");
    }

    @Test
    void aBodyThatIsTheJsonLiteralNull_is400_onEveryRouteThatReadsOne() throws Exception {
        for (String[] route : new String[][] {{"POST", "/auth/login"}, {"POST", "/admin/users"}}) {
            var response = call(route[0], route[1], "null", null, route[1].startsWith("/admin") ? ADMIN : null);
            assertThat(response.getStatusCode()).as(route[0] + " " + route[1]).isEqualTo(400);
            assertThat(json(response).path("detail").asText()).contains("null");
        }
    }

    @Test
    void login_answersTokensAndAnHttpOnlyRefreshCookie() throws Exception {
        String name = createUser("viewer");

        var response = call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("tokenType").asText()).isEqualTo("Bearer");
        assertThat(body.path("expiresIn").asInt()).isEqualTo(900);
        assertThat(body.has("refreshToken")).as("the refresh token travels only in the cookie").isFalse();
        assertThat(body.path("username").asText()).isEqualTo(name);
        assertThat(body.path("roles")).extracting(JsonNode::asText).containsExactly("viewer");
        assertThat(body.path("scopes")).extracting(JsonNode::asText).containsExactly("videos:read");
        assertThat(response.getHeaders().get("Set-Cookie")).startsWith("reel_refresh=")
                .contains("HttpOnly", "SameSite=Strict", "Path=/api/auth", "Secure").containsPattern("Max-Age=259\\d{4}(;|$)");
        var jwks = json(call("GET", "/.well-known/jwks.json", null, null));
        assertThat(jwks.path("keys").get(0).path("kid").asText()).isEqualTo(JWT.decode(body.path("accessToken").asText()).getKeyId());
    }

    @Test
    void jwks_publishesTheRetiredKeysTooDuringTheirGracePeriod(AwsTestResources aws, @TempDir Path dir) throws Exception {
        var retired = io.reel.core.token.RsaKeys.loadOrCreate(dir.resolve("retired-2026-10.pem"));
        var withRetired = new AuthHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", dir.toString())));

        var keys = json(withRetired.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET")
                .withResource("/.well-known/jwks.json"), null)).path("keys");

        assertThat(keys).hasSize(2);
        assertThat(keys.get(1).path("kid").asText())
                .isEqualTo(io.reel.core.token.RsaKeys.keyId((java.security.interfaces.RSAPublicKey) retired.getPublic()));
    }

    @Test
    void wrongPasswordAndUnknownUser_getTheSame401() throws Exception {
        String name = createUser("viewer");

        var wrong = call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"not the right one\"}", null);
        var unknown = call("POST", "/auth/login", "{\"username\":\"nobody-x\",\"password\":\"not the right one\"}", null);

        assertThat(wrong.getStatusCode()).isEqualTo(unknown.getStatusCode()).isEqualTo(401);
        assertThat(wrong.getBody()).isEqualTo(unknown.getBody());
        assertThat(wrong.getHeaders()).containsEntry("Content-Type", "application/problem+json");
    }

    @Test
    void badBodies_are4xxProblems() throws Exception {
        assertThat(call("POST", "/auth/login", "not json", null).getStatusCode()).isEqualTo(400);
        assertThat(call("POST", "/auth/login", "{\"username\":\"ana\"}", null).getStatusCode()).isEqualTo(400);
        assertThat(call("POST", "/auth/login", "{\"username\":\"ana\",\"password\":123}", null).getStatusCode()).isEqualTo(400);
        assertThat(call("POST", "/auth/login", "{\"username\":\"ana\",\"password\":\"x\",\"admin\":true}", null).getStatusCode()).isEqualTo(400);
        assertThat(call("POST", "/auth/login", "{\"username\":\"ana\",\"password\":\"" + "p".repeat(10_000) + "\"}", null)
                .getStatusCode()).as("refused before hashing").isEqualTo(400);
        assertThat(call("POST", "/auth/login", "{\"username\":\"ana\",\"password\":\"" + "p".repeat(1000) + "\"}", null)
                .getStatusCode()).isEqualTo(400);
        assertThat(call("POST", "/auth/login", "x".repeat(1024 * 1024), null).getStatusCode()).isEqualTo(413);
        assertThat(call("POST", "/auth/refresh", "{\"refreshToken\":42}", null).getStatusCode()).isEqualTo(400);
    }

    @Test
    void refresh_withoutAnyToken_is204NoSession_butABadCookieIs401() throws Exception {
        var none = call("POST", "/auth/refresh", null, null);
        assertThat(none.getStatusCode()).as("a page load with no session is not an error").isEqualTo(204);
        assertThat(none.getBody()).isNullOrEmpty();
        assertThat(none.getHeaders()).containsEntry("Cache-Control", "no-store").doesNotContainKey("Set-Cookie");
        assertThat(call("POST", "/auth/refresh", null, Map.of("Cookie", "theme=dark")).getStatusCode())
                .as("other cookies, still no session").isEqualTo(204);
        assertThat(call("POST", "/auth/refresh", null, Map.of("Cookie", "reel_refresh=not-a-token")).getStatusCode())
                .isEqualTo(401);
        assertThat(call("POST", "/auth/refresh", "{\"refreshToken\":\"forged.token\"}", null).getStatusCode()).isEqualTo(401);
    }

    @Test
    void loginAndRefresh_sayWhoTheUserIs_sortedRolesAndTheTokensScopes() throws Exception {
        String name = createUser(List.of("viewer", "admin", "uploader"));

        var login = call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD
                + "\",\"includeRefreshToken\":true}", null);
        var refreshed = call("POST", "/auth/refresh", null, Map.of("Cookie", refreshCookie(login)));

        for (var response : List.of(login, refreshed)) {
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.path("username").asText()).isEqualTo(name);
            assertThat(body.path("roles")).extracting(JsonNode::asText).containsExactly("admin", "uploader", "viewer");
            assertThat(body.path("scopes")).extracting(JsonNode::asText).containsExactly("admin", "videos:read", "videos:upload");
            assertThat(body.path("scopes")).extracting(JsonNode::asText).containsExactly(
                    JWT.decode(body.path("accessToken").asText()).getClaim("scope").asString().split(" "));
        }
        assertThat(json(login).properties()).extracting(Map.Entry::getKey)
                .containsExactly("accessToken", "tokenType", "expiresIn", "username", "roles", "scopes", "refreshToken");
        assertThat(json(refreshed).properties()).extracting(Map.Entry::getKey)
                .containsExactly("accessToken", "tokenType", "expiresIn", "username", "roles", "scopes");
    }

    @Test
    void refreshCookie_rotates_aDuplicateWithinTheGraceIsServed_andReuseAfterItIsRefused(AwsTestResources aws) throws Exception {
        var withShortGrace = new AuthHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString(), "REFRESH_REUSE_GRACE", "2s")));
        String name = createUser("viewer");
        String cookie = refreshCookie(call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null));

        var refreshed = refresh(withShortGrace, "theme=dark; " + cookie);
        var duplicate = refresh(withShortGrace, cookie);

        assertThat(refreshed.getStatusCode()).isEqualTo(200);
        assertThat(duplicate.getStatusCode()).as("a second tab refreshing with the same cookie").isEqualTo(200);
        assertThat(refreshCookie(refreshed)).isNotEqualTo(cookie).isNotEqualTo(refreshCookie(duplicate));
        assertThat(json(duplicate).path("username").asText()).isEqualTo(name);
        Thread.sleep(2_100);
        var reused = refresh(withShortGrace, cookie);
        assertThat(reused.getStatusCode()).isEqualTo(401);
        assertThat(reused.getHeaders().get("Set-Cookie")).contains("Max-Age=0");
        assertThat(json(reused).path("detail").asText()).contains("already used");
        assertThat(refresh(withShortGrace, refreshCookie(refreshed)).getStatusCode()).as("reuse revoked the family").isEqualTo(401);
        assertThat(refresh(withShortGrace, refreshCookie(duplicate)).getStatusCode()).as("the grace sibling too").isEqualTo(401);
    }

    @Test
    void refreshCookie_withTheGraceOff_reuseIsRefusedAtOnce(AwsTestResources aws) throws Exception {
        var strict = new AuthHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString(), "REFRESH_REUSE_GRACE", "0s")));
        String name = createUser("viewer");
        String cookie = refreshCookie(call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null));

        var refreshed = refresh(strict, cookie);
        var reused = refresh(strict, cookie);

        assertThat(refreshed.getStatusCode()).isEqualTo(200);
        assertThat(reused.getStatusCode()).isEqualTo(401);
        assertThat(reused.getHeaders().get("Set-Cookie")).contains("Max-Age=0");
        assertThat(refresh(strict, refreshCookie(refreshed)).getStatusCode()).as("reuse revoked the family").isEqualTo(401);
    }

    @Test
    void logout_clearsTheCookieAndEndsTheSession() throws Exception {
        String name = createUser("viewer");
        String cookie = refreshCookie(call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null));

        var out = call("POST", "/auth/logout", null, Map.of("Cookie", cookie));

        assertThat(out.getStatusCode()).isEqualTo(204);
        assertThat(out.getHeaders().get("Set-Cookie")).contains("Max-Age=0");
        assertThat(call("POST", "/auth/refresh", null, Map.of("Cookie", cookie)).getStatusCode()).isEqualTo(401);
    }

    @Test
    void logoutAll_needsAnAuthorizedCaller_andBumpsTheTokenVersion() throws Exception {
        String name = createUser("viewer");
        var user = users.findByUsername(name).orElseThrow();

        assertThat(call("POST", "/auth/logout-all", null, Map.of("Authorization", "Bearer garbage")).getStatusCode()).isEqualTo(401);
        var response = call("POST", "/auth/logout-all", null, null,
                Map.of("principalId", user.userId(), "userId", user.userId(), "username", name, "scopes", "videos:read"));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(users.findByUsername(name).orElseThrow().tokenVersion()).isEqualTo(user.tokenVersion() + 1);
    }

    @Test
    void adminRoutes_needTheAdminScope() throws Exception {
        String body = "{\"username\":\"new-" + UUID.randomUUID().toString().substring(0, 6) + "\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"viewer\"]}";

        assertThat(call("POST", "/admin/users", body, null).getStatusCode()).isEqualTo(401);
        assertThat(call("POST", "/admin/users", body, null, Map.of("userId", "u", "username", "v", "scopes", "videos:read"))
                .getStatusCode()).isEqualTo(403);
        var created = call("POST", "/admin/users", body, null, ADMIN);
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(call("POST", "/admin/users", body, null, ADMIN).getStatusCode()).isEqualTo(409);
        var weak = call("POST", "/admin/users", "{\"username\":\"weakling\",\"password\":\"short\",\"roles\":[\"viewer\"]}", null, ADMIN);
        assertThat(weak.getStatusCode()).isEqualTo(400);
        assertThat(json(weak).path("detail").asText()).contains("12");
        var list = call("GET", "/admin/users", null, null, ADMIN);
        assertThat(list.getStatusCode()).isEqualTo(200);
        assertThat(list.getBody()).contains(json(created).path("username").asText()).doesNotContain("argon2");
    }

    @Test
    void disabledAccount_cannotSignIn() throws Exception {
        String name = createUser("viewer");
        var disabled = call("POST", "/admin/users/{username}/disable", null, null, ADMIN, Map.of("username", name));

        assertThat(disabled.getStatusCode()).isEqualTo(200);
        assertThat(call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null)
                .getStatusCode()).isEqualTo(401);
    }

    @Test
    void repeatedFailures_get429WithRetryAfter() throws Exception {
        String name = createUser("viewer");
        APIGatewayProxyResponseEvent last = null;
        for (int i = 0; i < 6; i++) {
            last = call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"wrong wrong wrong\"}", null);
        }

        assertThat(last.getStatusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(last.getHeaders().get("Retry-After"))).isEqualTo(1);
    }

    @Test
    void anAdminCannotDisableTheirOwnAccount_butCanAnothers() throws Exception {
        String name = createUser("admin");
        Map<String, Object> self = Map.of("principalId", "u-self", "userId", "u-self", "username", name,
                "scopes", "admin videos:read videos:upload");

        var own = call("POST", "/admin/users/{username}/disable", null, null, self, Map.of("username", name.toUpperCase(java.util.Locale.ROOT)));

        assertThat(own.getStatusCode()).isEqualTo(409);
        assertThat(json(own).path("detail").asText()).contains("your own account");
        assertThat(users.findByUsername(name).orElseThrow().isActive()).isTrue();
        assertThat(call("POST", "/admin/users/{username}/disable", null, null, self, Map.of("username", createUser("viewer")))
                .getStatusCode()).isEqualTo(200);
    }

    @Test
    void newAccounts_needAnEmailThatIsOne_andANameThatPassesForNoOther() throws Exception {
        for (String email : List.of("not-an-email", "a@b", "a b@example.com", "a@exa\u0000mple.com", "x".repeat(250) + "@example.com")) {
            var response = call("POST", "/admin/users", Json.write(Map.of("username", "mail-" + UUID.randomUUID().toString().substring(0, 8),
                    "password", PASSWORD, "roles", List.of("viewer"), "email", email)), null, ADMIN);
            assertThat(response.getStatusCode()).as(email).isEqualTo(400);
            assertThat(json(response).path("detail").asText()).contains("e-mail");
        }
        var lookalike = call("POST", "/admin/users", Json.write(Map.of("username", "\u0430dmin", "password", PASSWORD,
                "roles", List.of("viewer"))), null, ADMIN);
        assertThat(lookalike.getStatusCode()).isEqualTo(400);
        assertThat(json(lookalike).path("detail").asText()).contains("Cyrillic and Latin");
        assertThat(users.findByUsername("\u0430dmin")).isEmpty();
    }

    @Test
    void signingInFromAnotherSite_orAsAForm_isRefused() throws Exception {
        String name = createUser("viewer");
        String body = "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}";

        var form = call("POST", "/auth/login", body, Map.of("Content-Type", "application/x-www-form-urlencoded"));
        var plain = call("POST", "/auth/login", body, Map.of("content-type", "text/plain;charset=UTF-8"));
        var crossSite = call("POST", "/auth/login", body, Map.of("Content-Type", "application/json", "Sec-Fetch-Site", "cross-site",
                "Origin", "https://evil.example"));
        var opaque = call("POST", "/auth/logout", null, Map.of("Origin", "null"));

        assertThat(form.getStatusCode()).isEqualTo(415);
        assertThat(plain.getStatusCode()).isEqualTo(415);
        assertThat(json(plain).path("detail").asText()).contains("application/json");
        assertThat(crossSite.getStatusCode()).isEqualTo(403);
        assertThat(opaque.getStatusCode()).isEqualTo(403);
        assertThat(crossSite.getMultiValueHeaders() == null ? crossSite.getHeaders().get("Set-Cookie") : null).isNull();
        assertThat(call("POST", "/auth/login", body, Map.of("Content-Type", "application/json", "Sec-Fetch-Site", "same-origin"))
                .getStatusCode()).isEqualTo(200);
    }

    // Faults (issue #15): a store failing part-way through a sign-in answers 503 + Retry-After and leaves nothing behind.

    @Test
    void sessionsTableThrottled_signInIs503WithRetryAfter_andNoSessionOrFailureIsLeft() throws Exception {
        String name = createUser("viewer");
        String userId = users.findByUsername(name).orElseThrow().userId();
        APIGatewayProxyResponseEvent response;
        try (var faults = io.reel.localaws.faults.Faults.inject(io.reel.localaws.faults.Faults.Fault.THROTTLED.on("DynamoDB", "PutItem").always())) {
            response = call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null);
            assertThat(faults.injected()).isEqualTo(3);
        }

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "2").containsEntry("Content-Type", "application/problem+json");
        assertThat(json(response).path("detail").asText()).contains("try again");
        assertThat(sessionsOf(userId)).as("no session row").isZero();
        assertThat(users.findByUsername(name).orElseThrow().failedLogins()).as("not counted as a wrong password").isZero();
    }

    @Test
    void aWriteFailingAfterTheSessionWasWritten_removesTheSession() throws Exception {
        String name = createUser("viewer");
        String userId = users.findByUsername(name).orElseThrow().userId();
        String wrong = "{\"username\":\"" + name + "\",\"password\":\"not the password at all\"}";
        assertThat(call("POST", "/auth/login", wrong, null).getStatusCode()).isEqualTo(401); // so a success must reset the count
        APIGatewayProxyResponseEvent response;
        try (var faults = io.reel.localaws.faults.Faults.inject(io.reel.localaws.faults.Faults.Fault.SERVER_ERROR.on("DynamoDB", "UpdateItem").always())) {
            response = call("POST", "/auth/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", null);
        }

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(503);
        assertThat(sessionsOf(userId)).as("the session written ahead of the failed reset is gone").isZero();
    }

    @Test
    void aStoreThatNeverAnswers_is503WellWithinTheFunctionsTimeout() throws Exception {
        AuthHandler impatient = new AuthHandler(awsEnv.with(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString(),
                "REEL_AWS_CALL_TIMEOUT", "2s", "REEL_AWS_ATTEMPT_TIMEOUT", "500ms")));
        String name = createUser("viewer");
        long started = System.nanoTime();
        APIGatewayProxyResponseEvent response;
        try (var faults = io.reel.localaws.faults.Faults.inject(io.reel.localaws.faults.Faults.Fault.TIMEOUT.on("DynamoDB", "GetItem").always())) {
            var request = new APIGatewayProxyRequestEvent().withHttpMethod("POST").withResource("/auth/login").withPath("/auth/login")
                    .withBody("{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}")
                    .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("r"));
            response = impatient.handleRequest(request, null);
        }

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(503);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("the auth function's timeout is 10 s")
                .isLessThan(java.time.Duration.ofSeconds(5));
    }

    private static int sessionsOf(String userId) {
        return sessionsTable.queryPaginator(r -> r.tableName(sessionsTableName).indexName("byUser").keyConditionExpression("userId = :u")
                .expressionAttributeValues(Map.of(":u", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(userId))))
                .items().stream().mapToInt(item -> 1).sum();
    }

    private static String createUser(String role) {
        return createUser(List.of(role));
    }

    private static String createUser(List<String> roles) {
        String name = "user-" + UUID.randomUUID().toString().substring(0, 8);
        var response = call("POST", "/admin/users", Json.write(Map.of("username", name, "password", PASSWORD, "roles", roles,
                "email", name + "@example.com")), null, ADMIN);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(users.findByUsername(name).orElseThrow().encryptedEmail()).startsWith("v1.").doesNotContain("@example.com");
        return name;
    }

    private static APIGatewayProxyResponseEvent refresh(AuthHandler on, String cookie) {
        var request = new APIGatewayProxyRequestEvent().withHttpMethod("POST").withResource("/auth/refresh").withPath("/auth/refresh")
                .withHeaders(Map.of("Cookie", cookie))
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId(UUID.randomUUID().toString()));
        return on.handleRequest(request, null);
    }

    private static String refreshCookie(APIGatewayProxyResponseEvent response) {
        return response.getHeaders().get("Set-Cookie").split(";", 2)[0];
    }

    private static JsonNode json(APIGatewayProxyResponseEvent response) throws Exception {
        return Json.mapper().readTree(response.getBody());
    }

    private static APIGatewayProxyResponseEvent call(String method, String resource, String body, Map<String, String> headers) {
        return call(method, resource, body, headers, null, null);
    }

    private static APIGatewayProxyResponseEvent call(String method, String resource, String body, Map<String, String> headers,
                                                     Map<String, Object> authorizer) {
        return call(method, resource, body, headers, authorizer, null);
    }

    private static APIGatewayProxyResponseEvent call(String method, String resource, String body, Map<String, String> headers,
                                                     Map<String, Object> authorizer, Map<String, String> pathParameters) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId(UUID.randomUUID().toString());
        if (authorizer != null) {
            context.setAuthorizer(new HashMap<>(authorizer));
        }
        var request = new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource).withPath(resource)
                .withBody(body).withHeaders(headers == null ? Map.of() : headers).withPathParameters(pathParameters)
                .withRequestContext(context);
        return handler.handleRequest(request, null);
    }

}
