package io.reel.devserver.states;

/**
 * An error raised while running a state: what Retry and Catch match on and what a failed execution reports.
 * Unchecked because it crosses the interpreter's recursion (branches, iterations) unchanged.
 */
final class StatesError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String ALL = "States.ALL";
    static final String RUNTIME = "States.Runtime";
    static final String TIMEOUT = "States.Timeout";
    static final String TASK_FAILED = "States.TaskFailed";
    static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
    static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";

    private final String error;
    private final String cause;

    StatesError(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.cause = cause;
    }

    static StatesError runtime(String cause) {
        return new StatesError(RUNTIME, cause);
    }

    String error() {
        return error;
    }

    String cause() {
        return cause;
    }

    /**
     * Whether Retry or Catch may handle it: {@code States.Runtime} is terminal ("A retry or catch on States.ALL
     * won't catch States.Runtime errors", error handling page); so is {@code States.DataLimitExceeded}.
     */
    boolean handleable() {
        return !error.equals(RUNTIME) && !error.equals("States.DataLimitExceeded");
    }

    /** Whether an {@code ErrorEquals} entry names this error, with the two wildcards as AWS defines them. */
    boolean matches(String name) {
        if (!handleable()) {
            return false;
        }
        return switch (name) {
            case ALL -> true;
            // "States.TaskFailed acts as a wildcard that matches any known error name except for States.Timeout."
            case TASK_FAILED -> !error.equals(TIMEOUT);
            default -> name.equals(error);
        };
    }
}
