package io.reel.localaws;

/** An emulator could not start or be used; the message says which and what to do. */
public final class LocalAwsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LocalAwsException(String message) {
        super(message);
    }

    public LocalAwsException(String message, Throwable cause) {
        super(message, cause);
    }
}
