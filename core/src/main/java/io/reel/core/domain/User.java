package io.reel.core.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A row of the {@code Users} table.
 *
 * @param passwordHash a PHC string (Argon2id, or bcrypt for migrated users)
 * @param tokenVersion bumped by "log out everywhere" and by disabling; tokens carrying an older one are refused
 * @param failedLogins consecutive failed logins since the last success
 * @param lastFailedLoginAt when the last failure happened, or null
 * @param encryptedEmail the email as a {@code FieldCipher} envelope, or null; never plaintext at rest
 */
public record User(
        String userId,
        String username,
        String passwordHash,
        Set<Role> roles,
        UserStatus status,
        long tokenVersion,
        int failedLogins,
        Instant lastFailedLoginAt,
        String encryptedEmail,
        Instant createdAt) {

    public User {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        roles = Set.copyOf(roles);
    }

    public boolean isActive() {
        return status == UserStatus.ACTIVE;
    }

    public Set<Scope> scopes() {
        return Role.scopesOf(roles);
    }
}
