package io.reel.authorizer;

/**
 * Thrown for every refused token. API Gateway turns a TOKEN authorizer error whose message is exactly
 * {@code Unauthorized} into a 401; the reason is only logged. No stack trace: refusals are routine and cheap.
 */
final class Unauthorized extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    Unauthorized(String reason) {
        super("Unauthorized", null, false, false);
        this.reason = reason;
    }

    /** Why, for the log; never sent to the client. */
    String reason() {
        return reason;
    }
}
