package io.reel.core.domain;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/** A time-limited URL for one object, honouring HTTP Range. */
public record SignedUrl(URI url, Instant expiresAt) {
    public SignedUrl {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
