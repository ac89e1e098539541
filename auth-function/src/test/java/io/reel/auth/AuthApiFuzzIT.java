package io.reel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.fuzz.ApiCheck;
import io.reel.fuzz.ApiRequest;
import io.reel.fuzz.ApiRequests;
import io.reel.fuzz.ApiRequests.Route;
import io.reel.fuzz.ApiWrites;
import io.reel.fuzz.FuzzTarget;
import io.reel.fuzz.Hostile;
import io.reel.fuzz.JsonText;
import io.reel.localaws.calls.AwsCallLog;
import io.reel.localaws.junit.LocalAwsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes every route of the auth function through {@link AuthHandler}, wired from its environment as in Lambda, against
 * DynamoDB Local: requests as API Gateway sends them ({@link ApiRequests}) with bodies of each route's shape whose
 * fields are kept, dropped or made hostile, cookies holding live, rotated, mutated or junk refresh tokens, origins and
 * fetch metadata of other sites, and callers from none to an admin (the authorizer's context, as it would pass it).
 * Whatever the request: never a 5xx, every 4xx a problem+json with a sentence, and nothing written on a 4xx but the
 * designed exceptions of {@link ApiWrites} (a failed sign-in is recorded; a reused refresh token revokes its family).
 */
class AuthApiFuzzIT {
    private static final String PASSWORD = "a perfectly long passphrase";
    private static final String FRESH = ApiRequest.placeholder("fresh refresh token");
    private static final String USED = ApiRequest.placeholder("used refresh token");
    private static LocalAwsExtension.Standalone aws;
    private static Path keys;
    private static AuthHandler handler;
    private static ApiWrites.Tables tables;
    /** Seeded accounts by role: username and user id. */
    private static final Map<String, String[]> ACCOUNTS = new LinkedHashMap<>();
    /** Refresh tokens never presented yet, and ones presented at least once. */
    private static final Deque<String> fresh = new ArrayDeque<>();
    private static final Deque<String> used = new ArrayDeque<>();

    @BeforeContainer
    static void start() throws Exception {
        aws = LocalAwsExtension.standalone(AuthApiFuzzIT.class);
        keys = Files.createTempDirectory("auth-fuzz-keys");
        var resources = aws.resources();
        handler = new AuthHandler(resources.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString())));
        tables = new ApiWrites.Tables(resources.table("UsersTable"), resources.table("SessionsTable"));
        Map<String, Object> root = Map.of("principalId", "u-root", "userId", "u-root", "username", "root",
                "scopes", "admin videos:read videos:upload");
        for (String role : List.of("viewer", "uploader", "admin", "disabled", "target", "signin")) {
            String name = "fz-" + role;
            var created = handler.handleRequest(event("POST", "/admin/users", "{\"username\":\"" + name + "\",\"password\":\""
                    + PASSWORD + "\",\"roles\":[\"" + (role.equals("admin") || role.equals("uploader") ? role : "viewer") + "\"]}",
                    root, Map.of()), null);
            assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
            ACCOUNTS.put(role, new String[] {name, Json.mapper().readTree(created.getBody()).path("userId").asText()});
        }
        var disabled = handler.handleRequest(event("POST", "/admin/users/{username}/disable", null, root,
                Map.of("username", "fz-disabled")), null);
        assertThat(disabled.getStatusCode()).as(disabled.getBody()).isEqualTo(200);
        topUpRefreshTokens();
        watchSeesTheFunctionsCalls();
    }

    /** The no-write check is only as good as the watch: a wrong password must show its designed writes. */
    private static void watchSeesTheFunctionsCalls() {
        try (AwsCallLog.Watch watch = AwsCallLog.watch()) {
            var wrong = handler.handleRequest(event("POST", "/auth/login", "{\"username\":\"fz-target\",\"password\":\"not the one\"}",
                    null, Map.of()), null);
            assertThat(wrong.getStatusCode()).isEqualTo(401);
            assertThat(watch.calls().stream().filter(ApiWrites::isWrite).map(c -> c.operation() + " " + c.resources().get("TableName")))
                    .containsExactlyInAnyOrder("PutItem [" + tables.sessions() + "]", "DeleteItem [" + tables.sessions() + "]",
                            "UpdateItem [" + tables.users() + "]");
            assertThat(ApiWrites.unexpected("POST", "/auth/login", 401, watch.calls(), tables)).isEmpty();
            assertThat(ApiWrites.unexpected("POST", "/auth/logout", 400, watch.calls(), tables)).hasSize(3);
        }
    }

    @AfterContainer
    static void stop() throws Exception {
        if (aws != null) {
            aws.close();
        }
        try (var files = Files.walk(keys)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static APIGatewayProxyRequestEvent event(String method, String resource, String body, Map<String, Object> caller,
                                                     Map<String, String> path) {
        return new ApiRequest(method, resource, path.isEmpty() ? null : path, null, Map.of("Content-Type", "application/json"),
                body, false, caller).toEvent(s -> s);
    }

    /** Signs the sign-in account in (through the handler, outside any try's watch) until a few unused tokens are at hand. */
    private static void topUpRefreshTokens() {
        while (fresh.size() < 3) {
            var login = handler.handleRequest(event("POST", "/auth/login", "{\"username\":\"fz-signin\",\"password\":\"" + PASSWORD
                    + "\",\"includeRefreshToken\":true}", null, Map.of()), null);
            assertThat(login.getStatusCode()).as(login.getBody()).isEqualTo(200);
            fresh.add(Json.read(login.getBody(), JsonNode.class).path("refreshToken").asText());
        }
    }

    @Property
    @FuzzTarget(value = "auth-api", tries = 150, timeoutMillis = 20_000)
    void everyRoute_neverA5xx_refusalsAreProblems_andWriteNothing(@ForAll("requests") ApiRequest request) {
        topUpRefreshTokens();
        APIGatewayProxyRequestEvent sent = request.toEvent(AuthApiFuzzIT::fill);
        APIGatewayProxyResponseEvent response;
        List<AwsCallLog.Call> calls;
        try (AwsCallLog.Watch watch = AwsCallLog.watch()) {
            response = handler.handleRequest(sent, null);
            calls = watch.calls();
        }
        harvest(response);
        ApiCheck.check(request, sent, response, calls, tables);
    }

    /** Placeholders become tokens as they are now: an unused one is used by this try. */
    private static String fill(String text) {
        if (text.contains(FRESH)) {
            String token = fresh.isEmpty() ? "none" : fresh.poll();
            used.add(token);
            text = text.replace(FRESH, token);
        }
        if (text.contains(USED)) {
            text = text.replace(USED, used.isEmpty() ? "none" : used.peekLast());
        }
        return text;
    }

    /** A refresh cookie the answer sets is a fresh token for later tries. */
    private static void harvest(APIGatewayProxyResponseEvent response) {
        String cookie = response == null || response.getHeaders() == null ? null : response.getHeaders().get("Set-Cookie");
        if (cookie != null && cookie.startsWith(AuthRoutes.REFRESH_COOKIE + "=")) {
            String token = cookie.substring(AuthRoutes.REFRESH_COOKIE.length() + 1).split(";", 2)[0];
            if (!token.isEmpty() && fresh.size() < 20) {
                fresh.add(token);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<ApiRequest> requests() {
        Arbitrary<String> usernames = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(ACCOUNTS.values().stream().map(a -> a[0]).toList())),
                Tuple.of(1, Arbitraries.of("FZ-VIEWER", " fz-viewer", "fz-viewer\u0000", "nobody-here", "root", "fz-signin")),
                Tuple.of(1, Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-").ofMinLength(3).ofMaxLength(12)
                        .map(s -> "fz-" + s)),
                Tuple.of(2, Hostile.strings()));
        Arbitrary<String> passwords = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(PASSWORD)),
                Tuple.of(2, Arbitraries.of("wrong wrong wrong", "short", "", "x".repeat(129), "p".repeat(600), PASSWORD + " ",
                        "a perfectly long passphrase\u0000", "Ä".repeat(40))),
                Tuple.of(2, Hostile.strings()));
        Arbitrary<String> tokens = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(FRESH, USED)),
                Tuple.of(1, Arbitraries.of(UUID.randomUUID() + "." + "A".repeat(43), "forged.token", "",
                        "00000000-0000-0000-0000-000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
                Tuple.of(1, Arbitraries.of(FRESH, USED).map(t -> t + "x")),
                Tuple.of(1, Hostile.strings()));
        Arbitrary<String> cookies = Arbitraries.frequencyOf(
                Tuple.of(4, tokens.map(t -> "reel_refresh=" + t)),
                Tuple.of(1, tokens.map(t -> "theme=dark; reel_refresh=" + t + "; other=1")),
                Tuple.of(1, Arbitraries.of("reel_refresh=", "theme=dark", ";;;", "reel_refresh", "REEL_REFRESH=" + FRESH,
                        "reel_refresh=" + FRESH + "; reel_refresh=x")),
                Tuple.of(1, Hostile.headerValues()));
        Arbitrary<String> usernameParameter = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("fz-target", "fz-disabled", "fz-admin", "fz-viewer", "nobody-here", "FZ-TARGET")),
                Tuple.of(1, Hostile.strings()));
        Arbitrary<String> roles = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("[\"viewer\"]", "[\"uploader\",\"viewer\"]",
                        "[\"admin\"]", "[\"ADMIN\"]")),
                Tuple.of(1, Arbitraries.of("[]", "[\"root\"]", "[null]", "\"viewer\"", "[\"viewer\",\"viewer\"]", "[1]")));
        var login = List.of(JsonText.field("username", JsonText.strings(usernames)), JsonText.field("password",
                JsonText.strings(passwords)), JsonText.field("includeRefreshToken", Arbitraries.of("true", "false", "null")));
        var refresh = List.of(JsonText.field("refreshToken", JsonText.strings(tokens)),
                JsonText.field("includeRefreshToken", Arbitraries.of("true", "false", "null")));
        var create = List.of(JsonText.field("username", JsonText.strings(usernames)), JsonText.field("password",
                JsonText.strings(passwords)), JsonText.field("roles", roles), JsonText.field("email",
                JsonText.strings(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of("ana@example.com", "a@b.c")),
                        Tuple.of(1, Hostile.strings())))));
        var password = List.of(JsonText.field("password", JsonText.strings(passwords)));
        Map<String, Arbitrary<String>> none = Map.of();
        Map<String, Arbitrary<String>> username = Map.of("username", usernameParameter);
        List<Route> routes = List.of(
                new Route("POST", "/auth/login", none, login, none),
                new Route("POST", "/auth/refresh", none, refresh, none),
                new Route("POST", "/auth/logout", none, refresh, none),
                new Route("POST", "/auth/logout-all", none, null, none),
                new Route("GET", "/.well-known/jwks.json", none, null, none),
                new Route("GET", "/admin/users", none, null, none),
                new Route("POST", "/admin/users", none, create, none),
                new Route("POST", "/admin/users/{username}/disable", username, null, none),
                new Route("POST", "/admin/users/{username}/enable", username, null, none),
                new Route("PUT", "/admin/users/{username}/password", username, password, none));
        return ApiRequests.requests(routes, callers(), cookies);
    }

    /**
     * The authorizer's context: none, each seeded account's, an admin under another id or name, incomplete ones. Never
     * a hostile username: the context is what the authorizer read from a token the auth function signed.
     */
    private Arbitrary<Map<String, Object>> callers() {
        List<Map<String, Object>> accounts = ACCOUNTS.entrySet().stream().map(e -> context(e.getValue()[1], e.getValue()[0],
                switch (e.getKey()) {
                    case "admin" -> "admin videos:read videos:upload";
                    case "uploader" -> "videos:read videos:upload";
                    default -> "videos:read";
                })).toList();
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just((Map<String, Object>) null)),
                Tuple.of(6, Arbitraries.of(accounts)),
                Tuple.of(2, Arbitraries.of(context("u-" + UUID.randomUUID(), "fz-target", "admin videos:read videos:upload"),
                        context(ACCOUNTS.get("viewer")[1], "fz-admin", "admin"), context("u-ghost", "ghost-user", "admin"))),
                Tuple.of(1, Arbitraries.of(Map.<String, Object>of("principalId", "x"), Map.<String, Object>of("userId", "", "username", "x"),
                        Map.<String, Object>of("userId", 42, "username", "fz-admin", "scopes", "admin"),
                        Map.<String, Object>of("userId", "u-1", "username", "fz-admin", "scopes", List.of("admin")))),
                // Odd but possible: the authorizer passes only what a token it verified says, so a username is one
                // the auth function issued a token for (3 to 64 characters of the username rule), perhaps deleted since.
                Tuple.of(1, Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-").ofMinLength(3).ofMaxLength(64)
                        .map(name -> context("u-" + UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                                name, "admin videos:read videos:upload"))));
    }

    private static Map<String, Object> context(String userId, String username, String scopes) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("principalId", userId);
        context.put("userId", userId);
        context.put("username", username);
        context.put("scopes", scopes);
        context.put("integrationLatency", 0);
        return context;
    }
}
