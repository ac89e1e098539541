package io.reel.core.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What an access token says: who ({@code sub}), what they may do ({@code scope}), which token version of the
 * user it was issued under ({@code tv}), and when it was issued and expires.
 */
public record TokenClaims(
        String subject,
        String username,
        Set<Scope> scopes,
        long tokenVersion,
        String tokenId,
        Instant issuedAt,
        Instant expiresAt) {

    public TokenClaims {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = Set.copyOf(scopes);
    }
}
