package io.reel.core.http;

import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A request that failed because a service it needs did not answer in time - throttled, a 5xx, a timeout or a dropped
 * connection that the SDK's retries did not get past - is not the client's fault and not a bug: it is answered
 * 503 with {@code Retry-After}, so a person reads "try again" and a client knows when.
 */
public final class Unavailable {
    /** Seconds a client should wait before trying again: long enough for throttling to ease. */
    public static final int RETRY_AFTER_SECONDS = 2;

    private Unavailable() {
    }

    /** Whether {@code failure}, or one of its causes, is a dependency that was busy, failing or unreachable. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AwsServiceException service) {
                return service.isThrottlingException() || service.statusCode() >= 500
                        || "RequestTimeout".equals(service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode());
            }
            if (cause instanceof ApiCallTimeoutException || cause instanceof ApiCallAttemptTimeoutException) {
                return true; // no answer in time
            }
            if (cause instanceof SdkClientException client) {
                return ioCause(client); // could not reach the service; any other client error is ours (a 500)
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return false;
    }

    private static boolean ioCause(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof java.io.IOException || cause instanceof java.io.UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /** The 503 answer: problem+json with a sentence and {@code Retry-After}. */
    public static com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent answer(HttpResponses responses) {
        return responses.problem(Problem.of(503, "Reel is busy right now: try again in a few seconds."),
                Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }
}
