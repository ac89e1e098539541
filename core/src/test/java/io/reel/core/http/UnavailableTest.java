package io.reel.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.core.Env;
import java.net.SocketException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class UnavailableTest {

    private static AwsServiceException service(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
    }

    @Test
    void throttling_5xx_timeouts_andUnreachableServices_areTransient() {
        assertThat(Unavailable.isTransient(service(400, "ProvisionedThroughputExceededException"))).isTrue();
        assertThat(Unavailable.isTransient(service(400, "ThrottlingException"))).isTrue();
        assertThat(Unavailable.isTransient(service(503, "SlowDown"))).isTrue();
        assertThat(Unavailable.isTransient(service(500, "InternalServerError"))).isTrue();
        assertThat(Unavailable.isTransient(ApiCallTimeoutException.create(4000))).isTrue();
        assertThat(Unavailable.isTransient(SdkClientException.create("reset", new SocketException("Connection reset")))).isTrue();
        assertThat(Unavailable.isTransient(new IllegalStateException("wrapped", service(503, "SlowDown")))).isTrue();
    }

    @Test
    void ourOwnMistakes_stay500s() {
        assertThat(Unavailable.isTransient(service(400, "ValidationException"))).isFalse();
        assertThat(Unavailable.isTransient(service(400, "ConditionalCheckFailedException"))).isFalse();
        assertThat(Unavailable.isTransient(service(403, "AccessDeniedException"))).isFalse();
        assertThat(Unavailable.isTransient(SdkClientException.create("Unable to marshall request"))).isFalse();
        assertThat(Unavailable.isTransient(new NullPointerException())).isFalse();
    }

    @Test
    void theAnswer_is503ProblemJsonWithRetryAfter() {
        var answer = Unavailable.answer(HttpResponses.create(Env.of(Map.of())));
        assertThat(answer.getStatusCode()).isEqualTo(503);
        assertThat(answer.getHeaders()).containsEntry("Retry-After", "2").containsEntry("Content-Type", "application/problem+json");
        assertThat(answer.getBody()).contains("try again");
    }
}
