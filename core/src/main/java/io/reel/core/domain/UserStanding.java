package io.reel.core.domain;

import java.util.Objects;

/**
 * The part of a user an access token is checked against on every request: who the account is now, whether it
 * is active, and its current token version (bumped by "log out everywhere" and by disabling).
 */
public record UserStanding(String userId, UserStatus status, long tokenVersion) {
    public UserStanding {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(status, "status");
    }

    /** Whether a token with this subject and token version still speaks for this account. */
    public boolean admits(String subject, long claimedTokenVersion) {
        return status == UserStatus.ACTIVE && userId.equals(subject) && tokenVersion == claimedTokenVersion;
    }
}
