package io.reel.auth;

import io.reel.auth.AuthException.Kind;
import io.reel.core.domain.Role;
import io.reel.core.domain.Scope;
import io.reel.core.domain.Usernames;
import io.reel.core.domain.Session;
import io.reel.core.domain.TokenClaims;
import io.reel.core.domain.User;
import io.reel.core.domain.UserStatus;
import io.reel.core.log.JsonLog;
import io.reel.core.metrics.Metrics;
import io.reel.core.port.PasswordHasher;
import io.reel.core.port.SessionStore;
import io.reel.core.port.TokenSigner;
import io.reel.core.port.UserStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sign-in and sessions: password login with per-account back-off, short-lived access tokens, and opaque refresh
 * tokens ({@code sessionId.secret}, stored only as a SHA-256 of the secret) rotated on every use, where presenting
 * a rotated token again revokes its whole family - unless it comes within a short grace of its rotation (a concurrent
 * duplicate), which gets a sibling session instead.
 */
public final class AuthService {
    /** Passwords are at most 128 code points; anything far longer is refused before it reaches the hasher. */
    private static final int MAX_PASSWORD_CHARS = 4 * 128;
    /** Stands in for a username that cannot exist (it fails the username rule), so its path costs the same. */
    private static final String NO_SUCH_USER = "\u0000";
    /** Owns the session row an unknown username's sign-in writes and deletes, so that path costs what a wrong password does. */
    private static final User NOBODY = new User("nobody", "nobody", "-", Set.of(), UserStatus.DISABLED,
            0, 0, null, null, Instant.EPOCH);

    private final UserStore users;
    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final TokenSigner signer;
    private final AuthSettings settings;
    private final Clock clock;
    private final String dummyHash;
    private final Metrics metrics;
    private final SecureRandom random = new SecureRandom();
    private static final JsonLog log = JsonLog.create(AuthService.class);
    /** Store calls overlapped with password verification; daemon threads, so an idle container can freeze or exit. */
    private static final ExecutorService storeCalls = Executors.newCachedThreadPool(Thread.ofPlatform().name("reel-auth-io-", 0)
            .daemon(true).factory());

    public AuthService(UserStore users, SessionStore sessions, PasswordHasher hasher, TokenSigner signer,
                       AuthSettings settings, Clock clock, String dummyHash, Metrics metrics) {
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.signer = signer;
        this.settings = settings;
        this.clock = clock;
        this.dummyHash = dummyHash;
        this.metrics = metrics;
    }

    /** Tokens issued by a login or a refresh. */
    public record Tokens(String accessToken, Duration accessTokenTtl, String refreshToken, Instant refreshExpiresAt,
                         String username, Set<Role> roles, Set<Scope> scopes) {
        public Tokens {
            roles = Set.copyOf(roles);
            scopes = Set.copyOf(scopes);
        }
    }

    /**
     * SnapStart priming: a sign-in's reads, writes that change nothing, and its password check, with nothing written
     * (no session row, no failure count, no metric): a username no account can have is looked up, and a throwaway
     * password is checked against the dummy hash.
     */
    io.reel.core.snapstart.Priming.Step[] primingSteps() {
        return new io.reel.core.snapstart.Priming.Step[] {
            new io.reel.core.snapstart.Priming.Step("account read", () -> users.findByUsername(NO_SUCH_USER)),
            // The write calls of a sign-in, each finding nothing to change: a failure counted for no account (its
            // condition fails, as an unknown user's does) and a session row that does not exist deleted.
            new io.reel.core.snapstart.Priming.Step("writes that change nothing", () -> {
                try {
                    users.recordFailedLogin(NO_SUCH_USER, clock.instant());
                } catch (java.util.NoSuchElementException noRow) {
                    // the condition failed: no account, nothing written (what an unknown user's sign-in meets too)
                }
                sessions.delete("snapstart-priming");
            }),
            new io.reel.core.snapstart.Priming.Step("password check", () -> {
                char[] throwaway = UUID.randomUUID().toString().toCharArray();
                hasher.verify(throwaway, dummyHash);
                java.util.Arrays.fill(throwaway, '\0');
            })};
    }

    public Tokens login(String rawUsername, char[] password) {
        try {
            Tokens tokens = attemptLogin(rawUsername, password);
            metrics.count("LoginSucceeded");
            return tokens;
        } catch (AuthException e) {
            metrics.count(e.kind() == Kind.THROTTLED ? "LoginThrottled" : "LoginFailed");
            throw e;
        }
    }

    private Tokens attemptLogin(String rawUsername, char[] password) {
        if (password == null || password.length == 0) {
            throw AuthException.of(Kind.BAD_REQUEST, "A password is required.");
        }
        if (password.length > MAX_PASSWORD_CHARS) {
            throw AuthException.of(Kind.BAD_REQUEST, "The password is longer than any password can be (128 characters).");
        }
        Instant now = clock.instant();
        String username = Usernames.normalise(rawUsername).orElse(NO_SUCH_USER);
        User user = users.findByUsername(username).orElse(null);
        if (user != null) {
            Duration wait = remainingBackoff(user, now);
            if (!wait.isZero()) {
                // Nothing is written: a refused attempt checked no password, so it is no failure and must not make
                // the wait longer than the Retry-After the previous answer announced.
                throw throttled(wait);
            }
        }
        // The session row is written while the password is verified, so the write costs no latency. It is inert
        // until then: the refresh secret it is keyed to exists only in this process, and is disclosed only if the
        // password is right. Otherwise the row is deleted (alongside the failure count) before answering. An unknown
        // user takes exactly the same steps - a session row for nobody, a verification against the dummy hash, a
        // failure write that finds no row - so response times do not tell which usernames exist.
        NewSession pending = newSession(user != null ? user : NOBODY, UUID.randomUUID().toString(), now,
                now.plus(settings.refreshAbsoluteTtl()));
        Future<?> written = storeCalls.submit(() -> sessions.create(pending.session()));
        // The access token is signed while the password is verified too (a KMS call in AWS, ~7 ms of RSA here), so
        // a sign-in takes the hash and little more. Like the session row it is disclosed only if the password is
        // right, and dropped otherwise; an unknown or disabled account signs nothing (the hash hides the difference).
        TokenClaims claims = user != null && user.isActive() ? claims(user, now) : null;
        Future<String> signed = claims == null ? null : storeCalls.submit(() -> signer.sign(claims));
        boolean verified;
        try {
            verified = hasher.verify(password, user != null ? user.passwordHash() : dummyHash);
        } catch (RuntimeException e) {
            // A stored hash the hasher refuses (corrupt, absurd cost): no row is left behind, and the error stands.
            awaitQuietly(discard(written, pending), pending.session().sessionId());
            throw e;
        }
        if (user == null || !verified || !user.isActive()) {
            Future<?> discarded = discard(written, pending);
            try {
                throw failedLogin(user, username, verified, now);
            } finally {
                awaitQuietly(discarded, pending.session().sessionId());
            }
        }
        try {
            await(written);
            if (user.failedLogins() > 0) {
                users.resetFailedLogins(user.username());
            }
            if (hasher.needsRehash(user.passwordHash())) {
                users.updatePasswordHash(user.username(), hasher.hash(password));
            }
            return tokens(user, pending, claims, await(signed));
        } catch (RuntimeException e) {
            // A store that failed part-way (throttled, unreachable): the client gets no tokens, so leave no session
            // behind for them either (best effort: the row is inert and expires by TTL if this fails as well).
            awaitQuietly(storeCalls.submit(() -> sessions.delete(pending.session().sessionId())), pending.session().sessionId());
            throw e;
        }
    }

    /** Records a failed sign-in and says what to answer: the same 401 whatever failed, or 429 once backed off. */
    private AuthException failedLogin(User user, String username, boolean verified, Instant now) {
        if (user == null) {
            try {
                users.recordFailedLogin(username, now);
            } catch (NoSuchElementException expected) {
                // no such user, as we knew; the write was for equal cost
            }
            return invalidCredentials();
        }
        if (verified) {
            return invalidCredentials(); // a disabled user's right password: the same answer as a wrong one
        }
        if (user.failedLogins() > 0 && user.lastFailedLoginAt() != null
                && !now.isBefore(user.lastFailedLoginAt().plus(settings.failureMemory()))) {
            users.resetFailedLogins(user.username()); // the earlier failures were too long ago to be consecutive
        }
        Duration backoff = settings.backoff(users.recordFailedLogin(user.username(), now));
        return backoff.isZero() ? invalidCredentials() : throttled(backoff);
    }

    private static AuthException throttled(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new AuthException(Kind.THROTTLED, "Too many failed sign-ins: wait " + seconds
                + (seconds == 1 ? " second" : " seconds") + " before trying again.", wait);
    }

    public Tokens refresh(String refreshToken) {
        Instant now = clock.instant();
        ParsedToken parsed = ParsedToken.parse(refreshToken).orElseThrow(AuthService::invalidRefresh);
        Session session = sessions.find(parsed.sessionId()).orElseThrow(AuthService::invalidRefresh);
        if (!MessageDigest.isEqual(bytes(session.refreshTokenHash()), bytes(hash(parsed.secret())))) {
            throw invalidRefresh();
        }
        if (sessions.isFamilyRevoked(session.familyId())) {
            // Revoked for reuse: this row may have been created while the revocation ran, after its index query.
            throw invalidRefresh();
        }
        if (session.rotated()) {
            return usedAgain(session, now, AuthException.of(Kind.INVALID_REFRESH_TOKEN,
                    "This refresh token was already used; every session of that sign-in is now revoked."));
        }
        if (!session.isUsableAt(now)) {
            throw invalidRefresh();
        }
        User user = activeUser(session);
        NewSession next = newSession(user, session.familyId(), now, session.absoluteExpiresAt());
        if (!sessions.markRotated(session.sessionId(), session.refreshTokenHash(), now, next.session().sessionId())) {
            // Another use of the same token won the conditional write: a duplicate of this request, or a thief's.
            Session current = sessions.find(session.sessionId()).orElse(session);
            return usedAgain(current, now, invalidRefresh());
        }
        sessions.create(next.session());
        return tokens(user, next, now);
    }

    /**
     * A rotated token presented again. Within the grace window of its rotation (two tabs, or a retry, refreshing with
     * the same cookie at once) it opens a sibling session of the same family, so neither signs the other out; after
     * it, or once anything of that sign-in was revoked, it is reuse: the whole family, siblings included, is revoked.
     */
    private Tokens usedAgain(Session session, Instant now, AuthException refusal) {
        if (withinGrace(session, now)) {
            User user = activeUser(session);
            metrics.count("RefreshGraceReuse");
            return issue(user, session.familyId(), now, session.absoluteExpiresAt());
        }
        sessions.revokeFamily(session.familyId(), session.absoluteExpiresAt()); // a rotated token came back: assume theft
        metrics.count("RefreshReuseDetected");
        throw refusal;
    }

    /**
     * Rotated less than the grace ago (a row from before {@code rotatedAt} was recorded never is), itself neither
     * revoked nor expired, and the session its rotation created not revoked either: a logged-out successor does not
     * come back through its predecessor.
     */
    private boolean withinGrace(Session session, Instant now) {
        Duration grace = settings.refreshReuseGrace();
        if (grace.isZero() || !session.rotated() || session.rotatedAt() == null || session.revoked()
                || !now.isBefore(session.rotatedAt().plus(grace))
                || !now.isBefore(session.expiresAt()) || !now.isBefore(session.absoluteExpiresAt())) {
            return false;
        }
        // Absent: its rotation has not written it yet (a concurrent duplicate), or never will (that request failed).
        return session.rotatedTo() == null || sessions.find(session.rotatedTo()).map(next -> !next.revoked()).orElse(true);
    }

    /**
     * The session's user if still active and the session issued under their current token version; a disabled
     * user's sessions are all revoked, and one that predates "log out everywhere" or a password reset (which its
     * index query may have missed, being created at that moment) is revoked, and the refresh refused.
     */
    private User activeUser(Session session) {
        User user = users.findByUsername(session.username()).orElseThrow(AuthService::invalidRefresh);
        if (!user.isActive()) {
            sessions.revokeAllForUser(user.userId());
            throw invalidRefresh();
        }
        if (!user.userId().equals(session.userId()) || session.predates(user.tokenVersion())) {
            sessions.revoke(session.sessionId());
            throw invalidRefresh();
        }
        return user;
    }

    /** Revokes the session of this refresh token; an unknown or malformed token is ignored (logout is idempotent). */
    public void logout(String refreshToken) {
        ParsedToken.parse(refreshToken)
                .flatMap(parsed -> sessions.find(parsed.sessionId())
                        .filter(s -> MessageDigest.isEqual(bytes(s.refreshTokenHash()), bytes(hash(parsed.secret())))))
                .ifPresent(session -> sessions.revoke(session.sessionId()));
    }

    /** Ends every session and invalidates every access token of this user. */
    public void logoutEverywhere(String username, String userId) {
        users.bumpTokenVersion(username);
        sessions.revokeAllForUser(userId);
    }

    private Tokens issue(User user, String familyId, Instant now, Instant absoluteExpiry) {
        NewSession pending = newSession(user, familyId, now, absoluteExpiry);
        sessions.create(pending.session());
        return tokens(user, pending, now);
    }

    /** A session row and the refresh token that opens it. */
    private record NewSession(Session session, String refreshToken) {
    }

    private NewSession newSession(User user, String familyId, Instant now, Instant absoluteExpiry) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String sessionId = UUID.randomUUID().toString();
        Instant sliding = now.plus(settings.refreshTtl());
        Instant expiresAt = sliding.isBefore(absoluteExpiry) ? sliding : absoluteExpiry;
        return new NewSession(Session.issued(sessionId, user.userId(), user.username(), hash(secretText), familyId, now, expiresAt,
                absoluteExpiry, user.tokenVersion()), sessionId + "." + secretText);
    }

    private TokenClaims claims(User user, Instant now) {
        return new TokenClaims(user.userId(), user.username(), user.scopes(), user.tokenVersion(),
                UUID.randomUUID().toString(), now, now.plus(settings.accessTokenTtl()));
    }

    private Tokens tokens(User user, NewSession pending, TokenClaims claims, String accessToken) {
        return new Tokens(accessToken, settings.accessTokenTtl(), pending.refreshToken(), pending.session().expiresAt(),
                user.username(), user.roles(), claims.scopes());
    }

    private Tokens tokens(User user, NewSession pending, Instant now) {
        TokenClaims claims = claims(user, now);
        return tokens(user, pending, claims, signer.sign(claims));
    }

    /** Deletes a session written ahead of a sign-in that failed, once its write has finished. */
    private Future<?> discard(Future<?> written, NewSession pending) {
        return storeCalls.submit(() -> {
            await(written);
            sessions.delete(pending.session().sessionId());
            return null;
        });
    }

    /** Waits for background store work, rethrowing its failure as it was thrown. */
    private static <T> T await(Future<T> work) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing the session", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A discarded session that cannot be deleted is harmless (nobody holds its secret); say so and go on. */
    private void awaitQuietly(Future<?> work, String sessionId) {
        try {
            await(work);
        } catch (RuntimeException e) {
            log.warn("auth.session_discard_failed", Map.of("sessionId", sessionId, "error", e.getClass().getSimpleName()));
        }
    }

    private Duration remainingBackoff(User user, Instant now) {
        Duration backoff = settings.backoff(user.failedLogins());
        if (backoff.isZero() || user.lastFailedLoginAt() == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, user.lastFailedLoginAt().plus(backoff));
        return left.isNegative() || left.isZero() ? Duration.ZERO : left;
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static AuthException invalidCredentials() {
        return AuthException.of(Kind.INVALID_CREDENTIALS, "The username or password is wrong.");
    }

    private static AuthException invalidRefresh() {
        return AuthException.of(Kind.INVALID_REFRESH_TOKEN, "The refresh token is not valid; sign in again.");
    }

    /** {@code sessionId.secret}: a UUID and 43 base64url characters (256 bits). */
    private record ParsedToken(String sessionId, String secret) {
        static Optional<ParsedToken> parse(String token) {
            if (token == null || token.length() > 100) {
                return Optional.empty();
            }
            int dot = token.indexOf('.');
            if (dot != 36 || token.length() - dot - 1 != 43) {
                return Optional.empty();
            }
            String sessionId = token.substring(0, dot);
            String secret = token.substring(dot + 1);
            try {
                UUID.fromString(sessionId);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return secret.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_')
                    ? Optional.of(new ParsedToken(sessionId, secret)) : Optional.empty();
        }
    }
}
