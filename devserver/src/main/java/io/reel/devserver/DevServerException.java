package io.reel.devserver;

/** The devserver cannot start or run as configured; the message names the function, resource or port. */
public final class DevServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DevServerException(String message) {
        super(message);
    }

    public DevServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
