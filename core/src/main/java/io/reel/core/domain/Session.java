package io.reel.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A row of the {@code Sessions} table: one refresh token, stored only as its hash.
 *
 * @param username the key of the user's row in {@code Users}, so a refresh can check the user is still active
 * @param familyId shared by every token rotated from the same login; reuse of a rotated token revokes the family
 * @param expiresAt sliding expiry (also the TTL attribute)
 * @param absoluteExpiresAt the cap no rotation can extend
 * @param revoked logged out, or revoked with its family or user
 * @param rotated its token was exchanged for a newer one; presenting it again is reuse (after a short grace)
 * @param rotatedAt when it was rotated; null while it is not, and for rows rotated before this was recorded
 * @param rotatedTo the session its rotation created; null where {@code rotatedAt} is
 * @param tokenVersion the user's token version when it was issued: once "log out everywhere", a password reset or
 *     disabling bumps it, the session is dead even if the revocation's index query missed it; null for rows written
 *     before it was recorded
 */
public record Session(
        String sessionId,
        String userId,
        String username,
        String refreshTokenHash,
        String familyId,
        Instant createdAt,
        Instant expiresAt,
        Instant absoluteExpiresAt,
        boolean revoked,
        boolean rotated,
        Instant rotatedAt,
        String rotatedTo,
        Long tokenVersion) {

    public Session {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(refreshTokenHash, "refreshTokenHash");
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(absoluteExpiresAt, "absoluteExpiresAt");
    }

    /** A session as written when it is created: neither revoked nor rotated. */
    public static Session issued(String sessionId, String userId, String username, String refreshTokenHash, String familyId,
                                 Instant createdAt, Instant expiresAt, Instant absoluteExpiresAt, long tokenVersion) {
        return new Session(sessionId, userId, username, refreshTokenHash, familyId, createdAt, expiresAt, absoluteExpiresAt,
                false, false, null, null, tokenVersion);
    }

    /** Whether the user's token version has moved on since this session was issued (unknown for old rows: no). */
    public boolean predates(long currentTokenVersion) {
        return tokenVersion != null && tokenVersion != currentTokenVersion;
    }

    /** DynamoDB's TTL deletes expired items only eventually (up to days later in AWS), so code checks expiry itself. */
    public boolean isUsableAt(Instant now) {
        return !revoked && !rotated && now.isBefore(expiresAt) && now.isBefore(absoluteExpiresAt);
    }
}
