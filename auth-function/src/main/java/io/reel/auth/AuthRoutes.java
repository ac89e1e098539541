package io.reel.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.domain.Role;
import io.reel.core.domain.Scope;
import io.reel.core.domain.UserStatus;
import io.reel.core.http.Caller;
import io.reel.core.http.HttpResponses;
import io.reel.core.http.Requests;
import io.reel.core.http.Problem;
import io.reel.core.token.Jwk;
import io.reel.core.users.UserAdmin;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The auth function's routes: request shapes in, service calls, response shapes and cookies out. */
final class AuthRoutes {
    static final String REFRESH_COOKIE = "reel_refresh";

    private final AuthService service;
    private final UserAdmin admin;
    private final List<Jwk> publishedKeys;
    private final HttpResponses responses;
    private final boolean secureCookie;

    AuthRoutes(AuthHandler.Collaborators collaborators) {
        this.service = collaborators.service();
        this.admin = collaborators.admin();
        this.publishedKeys = collaborators.publishedKeys();
        this.responses = collaborators.responses();
        this.secureCookie = collaborators.secureCookie();
    }

    record LoginRequest(String username, String password, Boolean includeRefreshToken) {
    }

    record RefreshRequest(String refreshToken, Boolean includeRefreshToken) {
    }

    record CreateUserRequest(String username, String password, List<String> roles, String email) {
    }

    record PasswordRequest(String password) {
    }

    APIGatewayProxyResponseEvent route(APIGatewayProxyRequestEvent request) {
        String route = request.getHttpMethod() + " " + request.getResource();
        if (route.startsWith("POST /auth/") && isCrossSite(request)) {
            return responses.problem(Problem.forbidden("Signing in and out is only possible from Reel's own page."));
        }
        return switch (route) {
            case "POST /auth/login" -> login(request);
            case "POST /auth/refresh" -> refresh(request);
            case "POST /auth/logout" -> logout(request);
            case "POST /auth/logout-all" -> logoutAll(request);
            case "GET /.well-known/jwks.json" -> jwks();
            case "GET /admin/users" -> asAdmin(request, () -> responses.ok(Map.of("users", admin.list())));
            case "POST /admin/users" -> asAdmin(request, () -> createUser(request));
            case "POST /admin/users/{username}/disable" -> asAdmin(request, () -> disable(request));
            case "POST /admin/users/{username}/enable" -> asAdmin(request, () -> responses.ok(
                    admin.setStatus(pathUsername(request), UserStatus.ACTIVE)));
            case "PUT /admin/users/{username}/password" -> asAdmin(request, () -> resetPassword(request));
            default -> responses.problem(Problem.notFound("No such route: " + route));
        };
    }

    APIGatewayProxyResponseEvent refusal(AuthException e) {
        return switch (e.kind()) {
            case THROTTLED -> responses.problem(Problem.tooManyRequests(e.getMessage()),
                    Map.of("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000))));
            case INVALID_REFRESH_TOKEN -> withHeaders(responses.problem(Problem.unauthorized(e.getMessage())),
                    Map.of("Set-Cookie", clearCookie()));
            case INVALID_CREDENTIALS -> responses.problem(Problem.unauthorized(e.getMessage()));
            case BAD_REQUEST -> responses.problem(Problem.badRequest(e.getMessage()));
        };
    }

    private APIGatewayProxyResponseEvent login(APIGatewayProxyRequestEvent request) {
        LoginRequest body = Requests.jsonBody(request, LoginRequest.class);
        if (body.username() == null || body.password() == null) {
            throw AuthException.of(AuthException.Kind.BAD_REQUEST, "Give a username and a password.");
        }
        char[] password = body.password().toCharArray();
        try {
            return tokens(service.login(body.username(), password), Boolean.TRUE.equals(body.includeRefreshToken()));
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private APIGatewayProxyResponseEvent refresh(APIGatewayProxyRequestEvent request) {
        RefreshRequest body = request.getBody() == null || request.getBody().isBlank()
                ? new RefreshRequest(null, null) : Requests.jsonBody(request, RefreshRequest.class);
        String token = body.refreshToken() != null ? body.refreshToken() : cookie(request, REFRESH_COOKIE);
        if (token == null) {
            // No cookie, no body: this browser has no session to resume. Not an error (the page asks on every load,
            // signed in or not), so 204 rather than a 401 that browsers log as a failed request.
            return responses.noContent();
        }
        return tokens(service.refresh(token), body.refreshToken() != null || Boolean.TRUE.equals(body.includeRefreshToken()));
    }

    private APIGatewayProxyResponseEvent logout(APIGatewayProxyRequestEvent request) {
        String fromBody = request.getBody() == null || request.getBody().isBlank()
                ? null : Requests.jsonBody(request, RefreshRequest.class).refreshToken();
        String token = fromBody != null ? fromBody : cookie(request, REFRESH_COOKIE);
        if (token != null) {
            service.logout(token);
        }
        return withHeaders(responses.noContent(), Map.of("Set-Cookie", clearCookie()));
    }

    private APIGatewayProxyResponseEvent logoutAll(APIGatewayProxyRequestEvent request) {
        Caller caller = Caller.of(request).orElse(null);
        if (caller == null) {
            return withHeaders(responses.problem(Problem.unauthorized("Sign in first.")), Map.of("WWW-Authenticate", "Bearer"));
        }
        service.logoutEverywhere(caller.username(), caller.userId());
        return withHeaders(responses.noContent(), Map.of("Set-Cookie", clearCookie()));
    }

    private APIGatewayProxyResponseEvent jwks() {
        APIGatewayProxyResponseEvent response = responses.ok(Map.of("keys", publishedKeys));
        // The current key and the retired ones still within their grace period; a client may cache the set briefly.
        return withHeaders(response, Map.of("Cache-Control", "public, max-age=300"));
    }

    private APIGatewayProxyResponseEvent createUser(APIGatewayProxyRequestEvent request) {
        CreateUserRequest body = Requests.jsonBody(request, CreateUserRequest.class);
        if (body.username() == null || body.password() == null || body.roles() == null) {
            throw new UserAdmin.InvalidRequestException("Give a username, a password and roles.");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String role : body.roles()) {
            try {
                roles.add(Role.valueOf(String.valueOf(role).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UserAdmin.InvalidRequestException("Unknown role '" + role + "'; use viewer, uploader or admin.");
            }
        }
        return responses.json(201, admin.create(body.username(), body.password().toCharArray(), roles, body.email()));
    }

    private APIGatewayProxyResponseEvent resetPassword(APIGatewayProxyRequestEvent request) {
        PasswordRequest body = Requests.jsonBody(request, PasswordRequest.class);
        if (body.password() == null) {
            throw new UserAdmin.InvalidRequestException("Give the new password.");
        }
        admin.resetPassword(pathUsername(request), body.password().toCharArray());
        return responses.noContent();
    }

    private APIGatewayProxyResponseEvent asAdmin(APIGatewayProxyRequestEvent request,
                                                 java.util.function.Supplier<APIGatewayProxyResponseEvent> action) {
        Caller caller = Caller.of(request).orElse(null);
        if (caller == null) {
            return withHeaders(responses.problem(Problem.unauthorized("Sign in first.")), Map.of("WWW-Authenticate", "Bearer"));
        }
        if (!caller.isAdmin()) {
            return responses.problem(Problem.forbidden("This needs the admin role."));
        }
        return action.get();
    }

    /** An admin disabling their own account would lock themselves out (perhaps the last admin): refused. */
    private APIGatewayProxyResponseEvent disable(APIGatewayProxyRequestEvent request) {
        String target = pathUsername(request);
        boolean self = Caller.of(request).map(Caller::username)
                .flatMap(own -> io.reel.core.domain.Usernames.normalise(target).map(own::equals)).orElse(false);
        if (self) {
            return responses.problem(Problem.conflict("You cannot disable your own account; another admin can."));
        }
        return responses.ok(admin.setStatus(target, UserStatus.DISABLED));
    }

    /**
     * A browser request another site made (its {@code Sec-Fetch-Site}, or an opaque {@code Origin: null}), unless
     * that site is the one CORS_ALLOW_ORIGIN names. These routes set and read the refresh cookie, so another site must
     * not sign a visitor in to an account of its choosing (login CSRF) or out. Clients that are not browsers send
     * neither header.
     */
    private boolean isCrossSite(APIGatewayProxyRequestEvent request) {
        String origin = header(request, "Origin");
        if ("null".equals(origin)) {
            return true;
        }
        return "cross-site".equalsIgnoreCase(header(request, "Sec-Fetch-Site")) && !responses.allowsCredentialedOrigin(origin);
    }

    private static String pathUsername(APIGatewayProxyRequestEvent request) {
        Map<String, String> params = request.getPathParameters();
        return params == null ? "" : params.getOrDefault("username", "");
    }

    private APIGatewayProxyResponseEvent tokens(AuthService.Tokens tokens, boolean includeRefreshToken) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("accessToken", tokens.accessToken());
        body.put("tokenType", "Bearer");
        body.put("expiresIn", tokens.accessTokenTtl().toSeconds());
        body.put("username", tokens.username());
        // Who this is and what the token may do, so the page never decodes a JWT.
        body.put("roles", tokens.roles().stream().map(role -> role.name().toLowerCase(Locale.ROOT)).sorted().toList());
        body.put("scopes", tokens.scopes().stream().map(Scope::value).sorted().toList());
        if (includeRefreshToken) {
            body.put("refreshToken", tokens.refreshToken());
        }
        long maxAge = Math.max(0, Duration.between(Instant.now(), tokens.refreshExpiresAt()).toSeconds());
        return withHeaders(responses.ok(body), Map.of("Set-Cookie", cookie(tokens.refreshToken(), maxAge)));
    }

    /** The refresh cookie: unreadable by scripts, sent only to the auth routes, never cross-site. */
    private String cookie(String value, long maxAgeSeconds) {
        return REFRESH_COOKIE + "=" + value + "; Path=/api/auth; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secureCookie ? "; Secure" : "");
    }

    private String clearCookie() {
        return cookie("", 0);
    }

    static String cookie(APIGatewayProxyRequestEvent request, String name) {
        String header = header(request, "Cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String trimmed = part.strip();
            if (trimmed.startsWith(name + "=")) {
                String value = trimmed.substring(name.length() + 1);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static String header(APIGatewayProxyRequestEvent request, String name) {
        if (request.getHeaders() == null) {
            return null;
        }
        return request.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static APIGatewayProxyResponseEvent withHeaders(APIGatewayProxyResponseEvent response, Map<String, String> extra) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(response.getHeaders());
        headers.putAll(extra);
        return response.withHeaders(headers);
    }
}
