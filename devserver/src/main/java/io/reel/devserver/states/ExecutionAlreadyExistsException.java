package io.reel.devserver.states;

/**
 * StartExecution's {@code ExecutionAlreadyExists}: the name is taken by an execution that is closed, or that is
 * still running with a different input (same name and same input while running is idempotent and returns it).
 */
public final class ExecutionAlreadyExistsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExecutionAlreadyExistsException(String executionArn) {
        super("Execution Already Exists: '" + executionArn + "'");
    }
}
