package io.reel.cli;

/** A command could not be carried out for a reason outside the command line (exit code 1); the message says what to do. */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }
}
