package io.reel.auth;

import java.time.Duration;

/** Why an auth request was refused; the handler maps each kind to one HTTP answer. */
public final class AuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of refusal, each with the status a client sees. */
    public enum Kind {
        /** Unknown user, wrong password or disabled account: one answer for all, so none can be told apart. */
        INVALID_CREDENTIALS(401),
        /** Too many recent failures for this account. */
        THROTTLED(429),
        /** A refresh token that is unknown, expired, revoked or reused. */
        INVALID_REFRESH_TOKEN(401),
        /** The request itself is unacceptable (e.g. a 10,000-character password). */
        BAD_REQUEST(400);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final Duration retryAfter;

    AuthException(Kind kind, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    static AuthException of(Kind kind, String message) {
        return new AuthException(kind, message, Duration.ZERO);
    }

    public Kind kind() {
        return kind;
    }

    /** For THROTTLED: how long until the next attempt is allowed. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
