package io.reel.core.port;

/** A create was refused because an item with the same key exists. */
public final class AlreadyExistsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AlreadyExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
