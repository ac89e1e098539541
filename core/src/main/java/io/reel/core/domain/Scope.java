package io.reel.core.domain;

import java.util.Arrays;
import java.util.Optional;

/** An OAuth-style permission carried in an access token's {@code scope} claim. */
public enum Scope {
    VIDEOS_READ("videos:read"),
    VIDEOS_UPLOAD("videos:upload"),
    ADMIN("admin");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    /** The scope as it is written in a token. */
    public String value() {
        return value;
    }

    public static Optional<Scope> fromValue(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
