package io.reel.localaws.faults;

import io.reel.localaws.faults.Faults.Rule;
import java.net.SocketException;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Applies {@link Faults}' rules to every SDK attempt in the JVM (listed in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}). It acts in {@code beforeTransmission}, which
 * the SDK runs once per attempt inside its retry loop and attempt timeout, so a faulted attempt is retried (or timed
 * out) by the SDK's own policy, and never reaches the emulator. Does nothing while no rule is in force.
 */
public final class FaultInterceptor implements ExecutionInterceptor {

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Faults.pick(service, operation).ifPresent(rule -> fail(rule, service, operation));
    }

    private static void fail(Rule rule, String service, String operation) {
        String where = service + "." + operation + " (injected by local-aws Faults)";
        switch (rule.fault()) {
            case THROTTLED -> throw serviceError(service, 400, "ProvisionedThroughputExceededException",
                    "The level of configured provisioned throughput for the table was exceeded: " + where);
            case THROTTLING_EXCEPTION -> throw serviceError(service, 400, "ThrottlingException", "Rate exceeded: " + where);
            case SERVER_ERROR -> throw serviceError(service, 500, isS3(service) ? "InternalError" : "InternalServerError",
                    "Internal server error: " + where);
            case SLOW_DOWN -> throw serviceError(service, 503, "SlowDown", "Please reduce your request rate: " + where);
            case TIMEOUT -> {
                try {
                    Thread.sleep(rule.hang().toMillis()); // the SDK's attempt timeout interrupts this
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw SdkClientException.create("No answer within " + rule.hang() + ": " + where,
                        new SocketException("Read timed out"));
            }
            case DROPPED -> throw SdkClientException.create("Unable to execute HTTP request: Connection reset: " + where,
                    new SocketException("Connection reset"));
            default -> throw new IllegalStateException(rule.fault().toString());
        }
    }

    private static boolean isS3(String service) {
        return service != null && service.toLowerCase(Locale.ROOT).equals("s3");
    }

    /** The exception the service's client would raise for this answer, with the error code its retry policy reads. */
    private static AwsServiceException serviceError(String service, int status, String code, String message) {
        AwsErrorDetails details = AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName(service)
                .sdkHttpResponse(SdkHttpFullResponse.builder().statusCode(status).build()).build();
        String name = service == null ? "" : service.toLowerCase(Locale.ROOT);
        AwsServiceException.Builder builder = switch (name) {
            case "dynamodb" -> switch (code) {
                case "ProvisionedThroughputExceededException" -> ProvisionedThroughputExceededException.builder();
                case "InternalServerError" -> InternalServerErrorException.builder();
                default -> DynamoDbException.builder();
            };
            case "s3" -> S3Exception.builder();
            default -> AwsServiceException.builder();
        };
        return builder.statusCode(status).message(message).awsErrorDetails(details).build();
    }
}
