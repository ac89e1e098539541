package io.reel.devserver.states;

/**
 * A task did not return a result. {@code error} is the error name Retry and Catch match on, {@code cause} the text
 * that ends up in the error output's {@code Cause}. For a Lambda function error Step Functions uses the function's
 * {@code errorType} as the name; see {@link #lambdaError} and {@link #lambdaTimeout}.
 */
public final class TaskFailure extends Exception {
    private static final long serialVersionUID = 1L;
    /**
     * The name Step Functions gives an unhandled Lambda error, which includes a function timeout ("Unhandled errors
     * in Lambda are reported as Lambda.Unknown ... These include out-of-memory errors and function timeouts",
     * Step Functions developer guide, "Handle Lambda service exceptions"). It matches {@code States.TaskFailed} and
     * {@code States.ALL}, but not {@code States.Timeout}, which is only the Task state's own TimeoutSeconds.
     */
    public static final String LAMBDA_UNKNOWN = "Lambda.Unknown";

    private final String error;
    private final String cause;

    public TaskFailure(String error, String cause) {
        super(error + ": " + cause);
        this.error = error;
        this.cause = cause;
    }

    /** A function that threw: its {@code errorType} is the error name, its {@code errorMessage} the cause. */
    public static TaskFailure lambdaError(String errorType, String errorMessage) {
        return new TaskFailure(errorType, errorMessage);
    }

    /** A function that ran past its own Timeout (not the Task state's TimeoutSeconds). */
    public static TaskFailure lambdaTimeout(String message) {
        return new TaskFailure(LAMBDA_UNKNOWN, message);
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }
}
