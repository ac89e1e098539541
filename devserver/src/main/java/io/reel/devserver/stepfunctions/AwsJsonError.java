package io.reel.devserver.stepfunctions;

/**
 * An error as the Step Functions API returns it in AWS JSON 1.0: HTTP 400 and {@code {"__type": code, "message": ...}};
 * the SDK turns {@code code} into its exception class (ExecutionAlreadyExists → ExecutionAlreadyExistsException).
 */
public final class AwsJsonError extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;

    public AwsJsonError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
