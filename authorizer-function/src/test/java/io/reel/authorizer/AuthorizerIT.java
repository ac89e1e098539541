package io.reel.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import io.reel.core.aws.DynamoDbUserStore;
import io.reel.core.domain.Role;
import io.reel.core.domain.Scope;
import io.reel.core.domain.TokenClaims;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.log.JsonLog;
import io.reel.core.port.TokenVerifier;
import io.reel.core.token.JwtTokenSigner;
import io.reel.core.token.JwtTokenVerifier;
import io.reel.core.token.RsaKeys;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The authorizer end to end against DynamoDB Local: real RS256 tokens, real {@code Users} rows, the policy it
 * returns evaluated the way IAM would, revocation with its bounded delay, and the verified-token cache.
 */
@ExtendWith(LocalAwsExtension.class)
class AuthorizerIT {
    private static final String ISSUER = "https://reel.test";
    private static final String AUDIENCE = "reel-api";
    private static final KeyPair KEYS = RsaKeys.generate();
    private static final RSAPublicKey PUBLIC = (RSAPublicKey) KEYS.getPublic();
    private static final String PREFIX = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/";
    private static final String METHOD_ARN = PREFIX + "GET/videos";
    private static final Duration TOKEN_TTL = Duration.ofMinutes(15);

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final JwtTokenSigner signer = JwtTokenSigner.withKeyPair(ISSUER, AUDIENCE, KEYS);
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private AwsTestResources aws;
    private DynamoDbUserStore users;
    private CountingVerifier verifier;

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        users = new DynamoDbUserStore(aws.dynamoDb(), aws.table("UsersTable"));
        verifier = new CountingVerifier(JwtTokenVerifier.rs256(ISSUER, AUDIENCE, Map.of(RsaKeys.keyId(PUBLIC), PUBLIC),
                JwtTokenVerifier.MAX_LEEWAY, clock));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Decisions and policies
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void viewer_getsTheirIdentityInTheContext_andAPolicyOfExactlyTheViewerGrants() {
        User viewer = createUser(Role.VIEWER);

        Map<String, Object> answer = authorizer(Duration.ZERO, 1000).authorize(bearer(tokenFor(viewer)), METHOD_ARN);

        assertThat(answer.get("principalId")).isEqualTo(viewer.userId());
        assertThat(context(answer)).containsExactly(Map.entry("userId", viewer.userId()), Map.entry("username", viewer.username()),
                Map.entry("scopes", "videos:read"), Map.entry("roles", "viewer"));
        assertThat(context(answer).values()).allSatisfy(value -> assertThat(value).isInstanceOf(String.class));
        assertThat(policy(answer).get("Version")).isEqualTo("2012-10-17");
        assertThat(resources(answer, "Allow")).containsExactlyElementsOf(
                prefixed(ScopeGrants.GRANTS.get(Scope.VIDEOS_READ)));
        assertThat(resources(answer, "Allow")).containsExactly(PREFIX + "GET/videos", PREFIX + "GET/videos/*",
                PREFIX + "PUT/videos/*/progress", PREFIX + "POST/auth/logout-all");
        assertThat(resources(answer, "Deny")).containsExactlyInAnyOrderElementsOf(
                prefixed(onlyIn(Set.of(Scope.VIDEOS_UPLOAD, Scope.ADMIN), Set.of(Scope.VIDEOS_READ))));
        assertThat(resources(answer, "Deny")).contains(PREFIX + "POST/uploads", PREFIX + "DELETE/videos/*", PREFIX + "GET/admin/*");
        assertThat(statements(answer)).allSatisfy(statement -> assertThat(statement.get("Action")).isEqualTo("execute-api:Invoke"));
    }

    @Test
    void uploader_isAllowedReadAndUpload_andDeniedOnlyTheAdminOnlyPatterns() {
        User uploader = createUser(Role.UPLOADER);

        Map<String, Object> answer = authorizer(Duration.ZERO, 1000).authorize(bearer(tokenFor(uploader)), METHOD_ARN);

        assertThat(answer.get("principalId")).isEqualTo(uploader.userId());
        assertThat(context(answer)).containsEntry("scopes", "videos:read videos:upload").containsEntry("roles", "viewer uploader")
                .containsEntry("username", uploader.username()).containsEntry("userId", uploader.userId());
        assertThat(resources(answer, "Allow")).containsExactlyInAnyOrderElementsOf(prefixed(union(
                ScopeGrants.GRANTS.get(Scope.VIDEOS_READ), ScopeGrants.GRANTS.get(Scope.VIDEOS_UPLOAD))));
        assertThat(resources(answer, "Deny")).containsExactlyInAnyOrderElementsOf(
                prefixed(onlyIn(Set.of(Scope.ADMIN), Set.of(Scope.VIDEOS_READ, Scope.VIDEOS_UPLOAD))));
        assertThat(resources(answer, "Deny")).contains(PREFIX + "GET/admin/*")
                .doesNotContain(PREFIX + "PATCH/videos/*", PREFIX + "DELETE/videos/*", PREFIX + "POST/uploads");
    }

    @Test
    void admin_isAllowedEverything_andDeniedNothing() {
        User admin = createUser(Role.ADMIN);

        Map<String, Object> answer = authorizer(Duration.ZERO, 1000).authorize(bearer(tokenFor(admin)), METHOD_ARN);

        assertThat(context(answer)).containsEntry("scopes", "admin videos:read videos:upload")
                .containsEntry("roles", "viewer uploader admin");
        assertThat(resources(answer, "Allow")).contains(PREFIX + "GET/admin/*").containsExactlyInAnyOrderElementsOf(prefixed(union(
                ScopeGrants.GRANTS.get(Scope.VIDEOS_READ), ScopeGrants.GRANTS.get(Scope.VIDEOS_UPLOAD), ScopeGrants.GRANTS.get(Scope.ADMIN))));
        assertThat(resources(answer, "Deny")).isEmpty();
    }

    @Test
    void viewerPolicy_evaluatedLikeIam() {
        Map<String, Object> policy = policy(authorizer(Duration.ZERO, 1000).authorize(bearer(tokenFor(createUser(Role.VIEWER))), METHOD_ARN));

        assertThat(Iam.evaluate(policy, PREFIX + "GET/videos")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "GET/videos/abc")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "PUT/videos/abc/progress")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "GET/admin/users")).isEqualTo(Iam.Decision.EXPLICIT_DENY);
        assertThat(Iam.evaluate(policy, PREFIX + "POST/uploads")).isEqualTo(Iam.Decision.EXPLICIT_DENY);
        assertThat(Iam.evaluate(policy, PREFIX + "DELETE/videos/abc")).isEqualTo(Iam.Decision.EXPLICIT_DENY);
        assertThat(Iam.evaluate(policy, PREFIX + "PATCH/videos/abc")).isEqualTo(Iam.Decision.EXPLICIT_DENY);
        // Not granted by any scope: denied because nothing allows it.
        assertThat(Iam.evaluate(policy, PREFIX + "DELETE/videos")).isNotEqualTo(Iam.Decision.ALLOW);
        // Another API or stage in the same account is not covered by this policy at all.
        assertThat(Iam.evaluate(policy, "arn:aws:execute-api:us-east-1:123456789012:other9/prod/GET/videos"))
                .isEqualTo(Iam.Decision.IMPLICIT_DENY);
        assertThat(Iam.evaluate(policy, "arn:aws:execute-api:us-east-1:123456789012:abc123/dev/GET/videos"))
                .isEqualTo(Iam.Decision.IMPLICIT_DENY);
    }

    @Test
    void uploaderPolicy_evaluatedLikeIam() {
        Map<String, Object> policy = policy(authorizer(Duration.ZERO, 1000).authorize(bearer(tokenFor(createUser(Role.UPLOADER))), METHOD_ARN));

        assertThat(Iam.evaluate(policy, PREFIX + "POST/uploads")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "POST/uploads/u1/complete")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "DELETE/videos/abc")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "GET/videos")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "GET/admin/users")).isEqualTo(Iam.Decision.EXPLICIT_DENY);
    }

    @Test
    void adminPolicy_evaluatedLikeIam() {
        Map<String, Object> policy = policy(authorizer(Duration.ZERO, 1000).authorize(bearer(tokenFor(createUser(Role.ADMIN))), METHOD_ARN));

        assertThat(Iam.evaluate(policy, PREFIX + "GET/admin/users")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "DELETE/videos/abc")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "POST/admin/users/u1/disable")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(policy, PREFIX + "GET/videos")).isEqualTo(Iam.Decision.ALLOW);
    }

    @Test
    void iamEvaluator_selfCheck() {
        assertThat(Iam.glob("a*c", "ac")).isTrue();
        assertThat(Iam.glob("a*c", "a/b/c")).isTrue();
        assertThat(Iam.glob("a?c", "abc")).isTrue();
        assertThat(Iam.glob("a?c", "ac")).isFalse();
        assertThat(Iam.glob("a?c", "abbc")).isFalse();
        assertThat(Iam.glob("GET/videos", "GET/videosX")).isFalse();
        assertThat(Iam.glob("a.c", "abc")).isFalse(); // '.' is literal
        Map<String, Object> both = Map.of("Version", "2012-10-17", "Statement", List.of(
                Map.of("Effect", "Allow", "Action", "execute-api:Invoke", "Resource", List.of("x/*")),
                Map.of("Effect", "Deny", "Action", "execute-api:Invoke", "Resource", List.of("x/secret"))));
        assertThat(Iam.evaluate(both, "x/open")).isEqualTo(Iam.Decision.ALLOW);
        assertThat(Iam.evaluate(both, "x/secret")).isEqualTo(Iam.Decision.EXPLICIT_DENY);
        assertThat(Iam.evaluate(both, "y/open")).isEqualTo(Iam.Decision.IMPLICIT_DENY);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The Authorization header
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void wellFormedBearerHeader_isAccepted_control() {
        User user = createUser(Role.VIEWER);

        assertThat(authorizer(Duration.ZERO, 1000).authorize("Bearer " + tokenFor(user), METHOD_ARN).get("principalId"))
                .isEqualTo(user.userId());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badHeaders")
    void malformedAuthorizationHeader_isUnauthorized(UnaryOperator<String> headerFromValidToken) {
        String valid = tokenFor(createUser(Role.VIEWER));
        Authorizer authorizer = authorizer(Duration.ZERO, 1000);
        assertThat(authorizer.authorize("Bearer " + valid, METHOD_ARN)).isNotNull(); // the same token is fine when well presented

        String header = headerFromValidToken.apply(valid);

        assertThatThrownBy(() -> authorizer.authorize(header, METHOD_ARN)).isInstanceOf(Unauthorized.class).hasMessage("Unauthorized");
    }

    static Stream<Arguments> badHeaders() {
        return Stream.of(
                header("null header", t -> null),
                header("empty header", t -> ""),
                header("'Bearer' alone", t -> "Bearer"),
                header("'Bearer ' with nothing after", t -> "Bearer "),
                header("lower-case scheme 'bearer <valid>'", t -> "bearer " + t),
                header("upper-case scheme 'BEARER <valid>'", t -> "BEARER " + t),
                header("two spaces 'Bearer  <valid>'", t -> "Bearer  " + t),
                header("tab instead of space", t -> "Bearer\t" + t),
                header("'Bearer Bearer <valid>'", t -> "Bearer Bearer " + t),
                header("trailing space 'Bearer <valid> '", t -> "Bearer " + t + " "),
                header("trailing newline", t -> "Bearer " + t + "\n"),
                header("two tokens 'Bearer <valid>,Bearer <valid>'", t -> "Bearer " + t + ",Bearer " + t),
                header("two tokens 'Bearer <valid>, <valid>'", t -> "Bearer " + t + ", " + t),
                header("'Basic abc'", t -> "Basic abc"),
                header("Basic with the token", t -> "Basic " + t),
                header("token without a scheme", t -> t),
                header("non-ASCII character after the token", t -> "Bearer " + t + "é"),
                header("non-ASCII character inside the token", t -> "Bearer " + t.substring(0, 10) + "ü" + t.substring(11)),
                header("Cyrillic 'е' in the scheme", t -> "B\u0435arer " + t),
                header("100 KB header", t -> "Bearer " + "a".repeat(100 * 1024)),
                header("valid token padded to 100 KB", t -> "Bearer " + t + "A".repeat(100 * 1024)));
    }

    private static Arguments header(String name, UnaryOperator<String> header) {
        return Arguments.of(Named.of(name, header));
    }

    /**
     * A token whose header part is the JSON literal {@code null} needs no key to make. It must be a 401 like any
     * other garbage, not an exception API Gateway turns into a 500.
     */
    @Test
    void tokenWhoseHeaderIsJsonNull_isUnauthorized() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("null".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + ".AAAA";

        assertThatThrownBy(() -> authorizer(Duration.ZERO, 1000).authorize(bearer(token), METHOD_ARN))
                .isInstanceOf(Unauthorized.class).hasMessage("Unauthorized");
    }

    @Test
    void malformedMethodArn_isAConfigurationError_notAClientError() {
        String valid = bearer(tokenFor(createUser(Role.VIEWER)));
        Authorizer authorizer = authorizer(Duration.ZERO, 1000);

        assertThatThrownBy(() -> authorizer.authorize(valid, "not-an-arn")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> authorizer.authorize(valid, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> authorizer.authorize(valid, "arn:aws:execute-api:us-east-1:123456789012:abc123"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> authorizer.authorize(valid, "arn:aws:lambda:us-east-1:123456789012:function/x/y"))
                .isInstanceOf(IllegalArgumentException.class);
        // Even with no token at all, a broken ARN is reported as the configuration error it is.
        assertThatThrownBy(() -> authorizer.authorize(null, "not-an-arn")).isInstanceOf(IllegalArgumentException.class);
        assertThat(authorizer.authorize(valid, METHOD_ARN)).isNotNull();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Revocation
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void disabledUser_withNoStandingCache_isRefusedImmediately() {
        User user = createUser(Role.VIEWER);
        String header = bearer(tokenFor(user));
        Authorizer authorizer = authorizer(Duration.ZERO, 1000);
        assertThat(authorizer.authorize(header, METHOD_ARN).get("principalId")).isEqualTo(user.userId());

        users.setStatus(user.username(), UserStatus.DISABLED);

        assertUnauthorized(authorizer, header);
        assertThat(lastRefusalReason()).startsWith("revoked");
    }

    @Test
    void disabledUser_withA30sStandingCache_isAcceptedUntilTheCacheExpires_thenRefused() {
        User user = createUser(Role.VIEWER);
        String header = bearer(tokenFor(user));
        Authorizer authorizer = authorizer(Duration.ofSeconds(30), 1000);
        Instant cachedAt = clock.instant();
        authorizer.authorize(header, METHOD_ARN);

        users.setStatus(user.username(), UserStatus.DISABLED);

        assertThat(authorizer.authorize(header, METHOD_ARN).get("principalId")).isEqualTo(user.userId());
        clock.set(cachedAt.plusSeconds(29));
        assertThat(authorizer.authorize(header, METHOD_ARN).get("principalId")).isEqualTo(user.userId());
        clock.set(cachedAt.plusSeconds(30)); // the standing is trusted for at most 30 s
        assertUnauthorized(authorizer, header);
        assertThat(lastRefusalReason()).startsWith("revoked");
    }

    @Test
    void reEnablingADisabledUser_doesNotReviveTheirOldTokens() {
        User user = createUser(Role.VIEWER);
        String header = bearer(tokenFor(user));
        Authorizer authorizer = authorizer(Duration.ZERO, 1000);

        users.setStatus(user.username(), UserStatus.DISABLED);
        users.setStatus(user.username(), UserStatus.ACTIVE);

        assertUnauthorized(authorizer, header);
        User current = users.findByUsername(user.username()).orElseThrow();
        assertThat(authorizer.authorize(bearer(tokenFor(current)), METHOD_ARN).get("principalId")).isEqualTo(user.userId());
    }

    @Test
    void logoutAll_withNoStandingCache_refusesTheOldTokenImmediately_andAcceptsANewOne() {
        User user = createUser(Role.UPLOADER);
        String header = bearer(tokenFor(user));
        Authorizer authorizer = authorizer(Duration.ZERO, 1000);
        authorizer.authorize(header, METHOD_ARN);

        long newVersion = users.bumpTokenVersion(user.username());

        assertUnauthorized(authorizer, header);
        assertThat(lastRefusalReason()).startsWith("revoked");
        String fresh = bearer(signer.sign(claims(user.userId(), user.username(), user.scopes(), newVersion, clock.instant().plus(TOKEN_TTL))));
        assertThat(authorizer.authorize(fresh, METHOD_ARN).get("principalId")).isEqualTo(user.userId());
    }

    @Test
    void logoutAll_withA30sStandingCache_isAcceptedUntilTheCacheExpires_thenRefused() {
        User user = createUser(Role.VIEWER);
        String header = bearer(tokenFor(user));
        Authorizer authorizer = authorizer(Duration.ofSeconds(30), 1000);
        Instant cachedAt = clock.instant();
        authorizer.authorize(header, METHOD_ARN);

        users.bumpTokenVersion(user.username());

        clock.set(cachedAt.plusSeconds(29));
        assertThat(authorizer.authorize(header, METHOD_ARN).get("principalId")).isEqualTo(user.userId());
        clock.set(cachedAt.plusSeconds(31));
        assertUnauthorized(authorizer, header);
        assertThat(lastRefusalReason()).startsWith("revoked");
    }

    @Test
    void logoutAll_withA30sStandingCache_acceptsTheFreshTokenAtOnce_andThenRefusesTheRevokedOne() {
        // Issue #15, defect 2: the cached standing (old version) refused the fresh token for 30 s while the revoked
        // one kept working. A refusal is now decided on a fresh read, which also teaches the cache the new version.
        User user = createUser(Role.VIEWER);
        String revoked = bearer(tokenFor(user));
        Authorizer authorizer = authorizer(Duration.ofSeconds(30), 1000);
        authorizer.authorize(revoked, METHOD_ARN);

        long newVersion = users.bumpTokenVersion(user.username());
        String fresh = bearer(signer.sign(claims(user.userId(), user.username(), user.scopes(), newVersion,
                clock.instant().plus(TOKEN_TTL))));

        assertThat(authorizer.authorize(fresh, METHOD_ARN).get("principalId")).isEqualTo(user.userId());
        assertUnauthorized(authorizer, revoked);
        assertThat(lastRefusalReason()).startsWith("revoked");
    }

    @Test
    void aReEnabledUsersFreshToken_isNotRefusedOnACachedDisabledStanding() {
        User user = createUser(Role.VIEWER);
        Authorizer authorizer = authorizer(Duration.ofSeconds(30), 1000);
        users.setStatus(user.username(), UserStatus.DISABLED);
        User disabled = users.findByUsername(user.username()).orElseThrow();
        assertUnauthorized(authorizer, bearer(tokenFor(disabled))); // caches DISABLED

        users.setStatus(user.username(), UserStatus.ACTIVE);

        assertThat(authorizer.authorize(bearer(tokenFor(users.findByUsername(user.username()).orElseThrow())), METHOD_ARN)
                .get("principalId")).isEqualTo(user.userId());
    }

    @Test
    void byDefault_theStandingIsReadOnEveryCall_soARevokedTokenIsRefusedAtOnce() {
        User user = createUser(Role.VIEWER);
        String header = bearer(tokenFor(user));
        Authorizer authorizer = new Authorizer(verifier, users, Authorizer.Settings.defaults(), clock,
                io.reel.core.log.JsonLog.create(Authorizer.class));
        authorizer.authorize(header, METHOD_ARN);

        users.bumpTokenVersion(user.username());

        assertUnauthorized(authorizer, header);
    }

    @Test
    void tokenForAUsernameThatDoesNotExist_isUnauthorized() {
        String ghost = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
        String token = signer.sign(claims(UUID.randomUUID().toString(), ghost, Set.of(Scope.VIDEOS_READ), 0,
                clock.instant().plus(TOKEN_TTL)));

        assertUnauthorized(authorizer(Duration.ZERO, 1000), bearer(token));
        assertThat(lastRefusalReason()).isEqualTo("no such user");
    }

    @Test
    void userDeletedAndRecreatedWithTheSameUsername_oldTokenIsRefused_newOneAccepted() {
        User original = createUser(Role.ADMIN);
        String oldHeader = bearer(tokenFor(original));
        Authorizer authorizer = authorizer(Duration.ZERO, 1000);
        assertThat(authorizer.authorize(oldHeader, METHOD_ARN).get("principalId")).isEqualTo(original.userId());

        aws.dynamoDb().deleteItem(r -> r.tableName(aws.table("UsersTable"))
                .key(Map.of("username", AttributeValue.fromS(original.username()))));
        User replacement = new User(UUID.randomUUID().toString(), original.username(), "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
                Set.of(Role.VIEWER), UserStatus.ACTIVE, 0, 0, null, null, clock.instant());
        users.create(replacement);

        assertThat(replacement.tokenVersion()).isEqualTo(original.tokenVersion()); // only the userId tells them apart
        assertUnauthorized(authorizer, oldHeader);
        assertThat(lastRefusalReason()).startsWith("revoked");
        assertThat(authorizer.authorize(bearer(tokenFor(replacement)), METHOD_ARN).get("principalId")).isEqualTo(replacement.userId());
    }

    // ---------------------------------------------------------------------------------------------------------
    // The verified-token cache
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void secondDecisionForTheSameToken_doesNotVerifyAgain_andIsTheSame() {
        User user = createUser(Role.UPLOADER);
        String header = bearer(tokenFor(user));
        Authorizer authorizer = authorizer(Duration.ZERO, 1000);

        Map<String, Object> first = authorizer.authorize(header, METHOD_ARN);
        Map<String, Object> second = authorizer.authorize(header, METHOD_ARN);

        assertThat(verifier.calls()).isEqualTo(1);
        assertThat(second).isEqualTo(first);
        authorizer.authorize(bearer(tokenFor(user)), METHOD_ARN); // another token of the same user is verified
        assertThat(verifier.calls()).isEqualTo(2);
    }

    @Test
    void cachedTokenThatExpires_isVerifiedAgain_andRefusedOnceExpiredBeyondTheLeeway() {
        User user = createUser(Role.VIEWER);
        Instant expiresAt = clock.instant().plusSeconds(60);
        String header = bearer(signer.sign(claims(user.userId(), user.username(), user.scopes(), 0, expiresAt)));
        Authorizer authorizer = authorizer(Duration.ZERO, 1000);
        authorizer.authorize(header, METHOD_ARN);
        clock.set(expiresAt.minusSeconds(1));
        authorizer.authorize(header, METHOD_ARN);
        assertThat(verifier.calls()).isEqualTo(1);

        clock.set(expiresAt); // the cache never outlives exp: verified again (and still inside the 30 s leeway)
        authorizer.authorize(header, METHOD_ARN);
        assertThat(verifier.calls()).isEqualTo(2);

        clock.set(expiresAt.plusSeconds(31));
        assertUnauthorized(authorizer, header);
        assertThat(verifier.calls()).isEqualTo(3);
        assertThat(lastRefusalReason()).startsWith("expired at ");
    }

    @Test
    void tokenCacheIsBounded_theLeastRecentlyUsedTokenIsEvicted() {
        User user = createUser(Role.VIEWER);
        String a = bearer(tokenFor(user));
        String b = bearer(tokenFor(user));
        String c = bearer(tokenFor(user));
        assertThat(Set.of(a, b, c)).hasSize(3);
        Authorizer authorizer = authorizer(Duration.ZERO, 2);

        authorizer.authorize(a, METHOD_ARN);
        authorizer.authorize(b, METHOD_ARN);
        authorizer.authorize(c, METHOD_ARN);
        assertThat(verifier.calls()).isEqualTo(3);

        authorizer.authorize(a, METHOD_ARN); // evicted by c: verified again
        assertThat(verifier.calls()).isEqualTo(4);
        authorizer.authorize(c, METHOD_ARN); // still cached
        assertThat(verifier.calls()).isEqualTo(4);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    private Authorizer authorizer(Duration standingTtl, int tokenCacheSize) {
        return new Authorizer(verifier, users, new Authorizer.Settings(standingTtl, tokenCacheSize, 1000), clock,
                new JsonLog("Authorizer", new PrintStream(logged, true, StandardCharsets.UTF_8), clock));
    }

    private User createUser(Role role) {
        String username = role.name().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
        User user = new User(UUID.randomUUID().toString(), username, "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", Set.of(role),
                UserStatus.ACTIVE, 0, 0, null, null, clock.instant());
        users.create(user);
        return user;
    }

    private String tokenFor(User user) {
        return signer.sign(claims(user.userId(), user.username(), user.scopes(), user.tokenVersion(), clock.instant().plus(TOKEN_TTL)));
    }

    private TokenClaims claims(String userId, String username, Set<Scope> scopes, long tokenVersion, Instant expiresAt) {
        return new TokenClaims(userId, username, scopes, tokenVersion, UUID.randomUUID().toString(), clock.instant(), expiresAt);
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static void assertUnauthorized(Authorizer authorizer, String header) {
        assertThatThrownBy(() -> authorizer.authorize(header, METHOD_ARN)).isInstanceOf(Unauthorized.class).hasMessage("Unauthorized");
    }

    /** The reason of the last {@code authorizer.refused} log line. */
    private String lastRefusalReason() {
        String reason = null;
        for (String line : logged.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = Json.mapper().readTree(line);
                if ("authorizer.refused".equals(node.path("message").asText())) {
                    reason = node.path("reason").asText();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(reason).as("a refusal was logged").isNotNull();
        return reason;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> context(Map<String, Object> answer) {
        return (Map<String, Object>) answer.get("context");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> policy(Map<String, Object> answer) {
        return (Map<String, Object>) answer.get("policyDocument");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> answer) {
        return (List<Map<String, Object>>) policy(answer).get("Statement");
    }

    /** Every resource of every statement with this effect; empty when there is none. */
    private static List<String> resources(Map<String, Object> answer, String effect) {
        List<String> resources = new ArrayList<>();
        for (Map<String, Object> statement : statements(answer)) {
            if (effect.equals(statement.get("Effect"))) {
                resources.addAll(Iam.resources(statement));
            }
        }
        return resources;
    }

    private static List<String> prefixed(java.util.Collection<String> patterns) {
        return patterns.stream().map(p -> PREFIX + p).toList();
    }

    @SafeVarargs
    private static List<String> union(List<String>... lists) {
        Set<String> all = new LinkedHashSet<>();
        Arrays.stream(lists).forEach(all::addAll);
        return List.copyOf(all);
    }

    /** Patterns granted by {@code others} and not by {@code own}. */
    private static Set<String> onlyIn(Set<Scope> others, Set<Scope> own) {
        Set<String> granted = new LinkedHashSet<>();
        own.forEach(s -> granted.addAll(ScopeGrants.GRANTS.get(s)));
        Set<String> result = new LinkedHashSet<>();
        others.forEach(s -> ScopeGrants.GRANTS.get(s).stream().filter(p -> !granted.contains(p)).forEach(result::add));
        return result;
    }

    /** A small IAM-style evaluator: glob resources ('*' any run, '?' one character), explicit Deny wins, default deny. */
    static final class Iam {
        enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

        static Decision evaluate(Map<String, Object> policy, String arn) {
            assertThat(policy.get("Version")).isEqualTo("2012-10-17");
            boolean allowed = false;
            for (Object item : (List<?>) policy.get("Statement")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> statement = (Map<String, Object>) item;
                if (!actionMatches(statement.get("Action"))) {
                    continue;
                }
                boolean matches = resources(statement).stream().anyMatch(pattern -> glob(pattern, arn));
                if (matches && "Deny".equals(statement.get("Effect"))) {
                    return Decision.EXPLICIT_DENY;
                }
                if (matches && "Allow".equals(statement.get("Effect"))) {
                    allowed = true;
                }
            }
            return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
        }

        private static boolean actionMatches(Object action) {
            List<?> actions = action instanceof List<?> list ? list : List.of(String.valueOf(action));
            return actions.stream().anyMatch(a -> glob(String.valueOf(a), "execute-api:Invoke"));
        }

        static List<String> resources(Map<String, Object> statement) {
            Object resource = statement.get("Resource");
            if (resource instanceof List<?> list) {
                return list.stream().map(String::valueOf).toList();
            }
            return resource == null ? List.of() : List.of(String.valueOf(resource));
        }

        static boolean glob(String pattern, String value) {
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
        }
    }

    /** A decorator over the real verifier that counts how often it is asked. */
    private static final class CountingVerifier implements TokenVerifier {
        private final TokenVerifier delegate;
        private final AtomicInteger calls = new AtomicInteger();

        CountingVerifier(TokenVerifier delegate) {
            this.delegate = delegate;
        }

        @Override
        public TokenClaims verify(String token) {
            calls.incrementAndGet();
            return delegate.verify(token);
        }

        int calls() {
            return calls.get();
        }
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
