package io.reel.devserver.states;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

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

    /** {@link #lambdaError(String, String, List)} without a stack trace. */
    public static TaskFailure lambdaError(String errorType, String errorMessage) {
        return lambdaError(errorType, errorMessage, List.of());
    }

    /**
     * A function that threw: its {@code errorType} is the error name, and the cause is the function's whole error
     * object as JSON text, {@code {"errorMessage":...,"errorType":...,"stackTrace":[...]}}, as Step Functions passes
     * it on (a Catch's {@code $.Cause} holds that string; a state reads the message with
     * {@code States.StringToJson($.Cause)}).
     */
    public static TaskFailure lambdaError(String errorType, String errorMessage, List<String> stackTrace) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("errorMessage", errorMessage);
        error.put("errorType", errorType);
        stackTrace.forEach(error.putArray("stackTrace")::add);
        return new TaskFailure(errorType, error.toString());
    }

    /**
     * A function that ran past its own Timeout (not the Task state's TimeoutSeconds): {@value #LAMBDA_UNKNOWN}, the
     * cause the error object Lambda returns for a timeout, which has only an {@code errorMessage}.
     */
    public static TaskFailure lambdaTimeout(String message) {
        return new TaskFailure(LAMBDA_UNKNOWN, JsonNodeFactory.instance.objectNode().put("errorMessage", message).toString());
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }
}
