package io.reel.core.port;

import io.reel.core.domain.Session;
import java.time.Instant;
import java.util.Optional;

/** The {@code Sessions} table: refresh-token sessions, each one token of a family rotated from one login. */
public interface SessionStore {
    void create(Session session);

    Optional<Session> find(String sessionId);

    /**
     * Marks the session used (its token rotated away, at {@code rotatedAt}, to the session {@code rotatedTo}) if its
     * token hash is still {@code expectedHash} and it is neither revoked nor already used; false otherwise, which for a
     * valid token means another use of it (a concurrent duplicate, or reuse).
     */
    boolean markRotated(String sessionId, String expectedHash, Instant rotatedAt, String rotatedTo);

    void revoke(String sessionId);

    /** Removes a session outright (one written ahead of a sign-in that then failed); absent is not an error. */
    void delete(String sessionId);

    /**
     * Revokes every session rotated from the same login, for good: sessions of the family created later, or
     * concurrently, are refused too ({@link #isFamilyRevoked}); how many rows were revoked.
     *
     * @param keepUntil how long the revocation must be remembered (the family's absolute expiry)
     */
    int revokeFamily(String familyId, Instant keepUntil);

    /** Whether the family was revoked (read consistently). */
    boolean isFamilyRevoked(String familyId);

    /** Revokes every session of a user; how many. */
    int revokeAllForUser(String userId);
}
