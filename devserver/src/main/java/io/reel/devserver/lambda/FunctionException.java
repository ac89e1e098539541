package io.reel.devserver.lambda;

/** An invocation did not return normally: the handler threw, or ran past its Timeout. */
public final class FunctionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean timedOut;

    FunctionException(String message, Throwable cause, boolean timedOut) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    public boolean timedOut() {
        return timedOut;
    }

    /** What Lambda reports as {@code errorMessage}: the handler's exception message. */
    public String errorMessage() {
        return getCause() == null ? getMessage() : String.valueOf(getCause().getMessage());
    }
}
