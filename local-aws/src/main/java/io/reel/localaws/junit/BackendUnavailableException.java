package io.reel.localaws.junit;

/** The chosen AWS backend cannot run on this machine; the message says why and what to do. */
final class BackendUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BackendUnavailableException(String message) {
        super(message);
    }
}
