package io.reel.core.domain;

/**
 * A pagination cursor from a client that is not one we issued (or no longer makes sense). Its message is written for
 * the client and says nothing about the cursor's contents, so it can be returned as it is.
 */
public final class InvalidCursorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The message every instance carries. */
    public static final String MESSAGE = "The cursor is not valid; start from the first page.";

    public InvalidCursorException() {
        super(MESSAGE);
    }

    public InvalidCursorException(Throwable cause) {
        super(MESSAGE, cause);
    }
}
