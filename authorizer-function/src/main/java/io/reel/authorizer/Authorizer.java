package io.reel.authorizer;

import io.reel.core.domain.Role;
import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.domain.UserStanding;
import io.reel.core.log.JsonLog;
import io.reel.core.port.TokenVerifier;
import io.reel.core.port.TokenVerifier.InvalidTokenException;
import io.reel.core.port.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The authorizer's decision: {@code Authorization: Bearer <jwt>} and the request's method ARN in, an IAM policy
 * out. A token is verified once and then kept (keyed by the whole token, until it expires); the user's standing
 * (active, current token version) is read from {@code Users} on every call by default, or kept at most
 * {@link Settings#standingTtl()} when one is set - and then only to admit: a token the cached standing would refuse
 * is decided on a fresh read, so a new token is never refused because an older version was cached. The
 * revocation bound is API Gateway's result cache (30 s per token) plus that TTL (0 by default). The
 * policy lists every method the token's scopes grant across the API - API Gateway caches it per token and reuses
 * it on other routes - and explicitly denies the methods they do not.
 */
public final class Authorizer {
    /** API Gateway's TOKEN authorizer reads this far; longer headers are refused before anything else. */
    private static final int MAX_HEADER_LENGTH = "Bearer ".length() + io.reel.core.token.JwtTokenVerifier.MAX_TOKEN_LENGTH;
    private static final String BEARER = "Bearer ";
    public static final Duration MAX_STANDING_TTL = Duration.ofSeconds(30);

    /**
     * @param standingTtl       how long a user's standing is trusted without reading {@code Users} again; ≤ 30 s
     * @param tokenCacheSize    verified tokens kept per container
     * @param standingCacheSize users whose standing is kept per container
     */
    public record Settings(Duration standingTtl, int tokenCacheSize, int standingCacheSize) {
        public Settings {
            if (standingTtl.isNegative() || standingTtl.compareTo(MAX_STANDING_TTL) > 0) {
                throw new IllegalArgumentException("The standing cache TTL must be 0 to 30 seconds, not " + standingTtl);
            }
        }

        public static Settings defaults() {
            return new Settings(Duration.ZERO, 10_000, 10_000);
        }
    }

    private final TokenVerifier verifier;
    private final UserStore users;
    private final Settings settings;
    private final Clock clock;
    private final JsonLog log;
    private final BoundedCache<String, TokenClaims> verified;
    private final BoundedCache<String, Optional<UserStanding>> standings;
    private final Map<String, Map<String, Object>> policies = new ConcurrentHashMap<>();

    public Authorizer(TokenVerifier verifier, UserStore users, Settings settings, Clock clock, JsonLog log) {
        this.verifier = verifier;
        this.users = users;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.verified = new BoundedCache<>(settings.tokenCacheSize(), clock);
        this.standings = new BoundedCache<>(settings.standingCacheSize(), clock);
    }

    /**
     * The authorizer's answer for API Gateway: {@code principalId}, {@code policyDocument} and {@code context}.
     *
     * @throws Unauthorized for a missing, malformed, invalid, expired or revoked token (API Gateway answers 401)
     */
    public Map<String, Object> authorize(String authorization, String methodArn) {
        String apiPrefix = apiPrefix(methodArn);
        try {
            TokenClaims claims = claims(authorization);
            Optional<UserStanding> cached = standings.get(claims.username());
            Optional<UserStanding> standing = cached != null ? cached : readStanding(claims.username());
            if (cached != null && !admits(standing, claims)) {
                // A refusal is never decided on a cached standing: the token may be newer than what was read (a
                // fresh sign-in after "log out everywhere" or a password reset), or the account enabled again.
                standing = readStanding(claims.username());
            }
            UserStanding current = standing.orElseThrow(() -> new Unauthorized("no such user"));
            if (!current.admits(claims.subject(), claims.tokenVersion())) {
                throw new Unauthorized("revoked: user disabled, replaced, or token version bumped");
            }
            return answer(claims, apiPrefix);
        } catch (Unauthorized refused) {
            log.info("authorizer.refused", Map.of("reason", refused.reason()));
            throw refused;
        }
    }

    /**
     * SnapStart priming: this path's classes and code without its effects. A token signed with a throwaway key (never
     * one this authorizer accepts) is verified by a throwaway verifier and a policy built for it, and a user that cannot
     * exist is read: nothing is cached, logged or counted, and the key is gone when priming returns.
     */
    io.reel.core.snapstart.Priming.Step[] primingSteps() {
        return new io.reel.core.snapstart.Priming.Step[] {
            new io.reel.core.snapstart.Priming.Step("token and policy", () -> {
                java.security.KeyPair throwaway = io.reel.core.token.RsaKeys.generate();
                var signer = io.reel.core.token.JwtTokenSigner.withKeyPair("urn:reel:snapstart-priming", "snapstart-priming", throwaway);
                Instant now = clock.instant();
                String token = signer.sign(new TokenClaims("snapstart-priming", "snapstart-priming", Role.VIEWER.scopes(), 0,
                        "snapstart-priming", now, now.plusSeconds(60)));
                TokenClaims claims = io.reel.core.token.JwtTokenVerifier.rs256("urn:reel:snapstart-priming", "snapstart-priming",
                        Map.of(signer.keyId(), (java.security.interfaces.RSAPublicKey) throwaway.getPublic()), Duration.ZERO, clock)
                        .verify(token);
                answer(claims, apiPrefix("arn:aws:execute-api:us-east-1:123456789012:snapstart/prod/GET/videos"));
                policies.clear();
            }),
            new io.reel.core.snapstart.Priming.Step("user standing", () -> users.findStanding("snapstart-priming"))};
    }

    private TokenClaims claims(String authorization) {
        if (authorization == null || authorization.length() > MAX_HEADER_LENGTH || !authorization.startsWith(BEARER)) {
            throw new Unauthorized("no Bearer token, or one too long");
        }
        String token = authorization.substring(BEARER.length());
        TokenClaims claims = verified.get(token);
        if (claims != null) {
            return claims;
        }
        try {
            claims = verifier.verify(token);
        } catch (InvalidTokenException e) {
            throw new Unauthorized(e.getMessage());
        }
        verified.put(token, claims, claims.expiresAt());
        return claims;
    }

    private static boolean admits(Optional<UserStanding> standing, TokenClaims claims) {
        return standing.isPresent() && standing.get().admits(claims.subject(), claims.tokenVersion());
    }

    /** The standing as {@code Users} holds it now (a consistent read), kept for the next request when a TTL is set. */
    private Optional<UserStanding> readStanding(String username) {
        Optional<UserStanding> standing = users.findStanding(username);
        if (settings.standingTtl().isPositive()) {
            standings.put(username, standing, clock.instant().plus(settings.standingTtl()));
        }
        return standing;
    }

    private Map<String, Object> answer(TokenClaims claims, String apiPrefix) {
        Set<Scope> scopes = claims.scopes();
        String scopeText = scopes.stream().map(Scope::value).sorted().collect(Collectors.joining(" "));
        Map<String, Object> policy = policies.computeIfAbsent(apiPrefix + " " + scopeText, key -> policy(apiPrefix, scopes));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("userId", claims.subject());
        context.put("username", claims.username());
        context.put("scopes", scopeText);
        context.put("roles", rolesOf(scopes));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("principalId", claims.subject());
        answer.put("policyDocument", policy);
        answer.put("context", context);
        return answer;
    }

    /** The roles whose every scope the token carries, lower-case and space-separated ("viewer uploader"). */
    private static String rolesOf(Set<Scope> scopes) {
        return java.util.Arrays.stream(Role.values()).filter(role -> scopes.containsAll(role.scopes()))
                .map(role -> role.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(" "));
    }

    private static Map<String, Object> policy(String apiPrefix, Set<Scope> scopes) {
        List<Object> statements = new ArrayList<>();
        List<String> allowed = ScopeGrants.granted(scopes);
        List<String> denied = ScopeGrants.denied(scopes);
        if (!allowed.isEmpty()) {
            statements.add(statement("Allow", allowed.stream().map(p -> apiPrefix + p).toList()));
        }
        if (!denied.isEmpty()) {
            statements.add(statement("Deny", denied.stream().map(p -> apiPrefix + p).toList()));
        }
        return Map.of("Version", "2012-10-17", "Statement", List.copyOf(statements));
    }

    private static Map<String, Object> statement(String effect, List<String> resources) {
        return Map.of("Action", "execute-api:Invoke", "Effect", effect, "Resource", List.copyOf(resources));
    }

    /**
     * {@code arn:aws:execute-api:region:account:apiId/stage/} from the request's method ARN, which API Gateway (not
     * the client) supplies; anything else is a configuration error, not a client's.
     */
    static String apiPrefix(String methodArn) {
        if (methodArn == null || !methodArn.startsWith("arn:") || !methodArn.contains(":execute-api:")) {
            throw new IllegalArgumentException("Not an execute-api method ARN: " + methodArn);
        }
        int apiSlash = methodArn.indexOf('/');
        int stageSlash = apiSlash < 0 ? -1 : methodArn.indexOf('/', apiSlash + 1);
        if (stageSlash < 0) {
            throw new IllegalArgumentException("No stage in the method ARN: " + methodArn);
        }
        return methodArn.substring(0, stageSlash + 1);
    }
}
