package io.reel.localaws.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.AwsClients;
import io.reel.localaws.faults.Faults.Fault;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The fault hook as a function's clients meet it: real SDK clients (AwsClients), their retries and timeouts. */
@ExtendWith(LocalAwsExtension.class)
class FaultsIT {
    private AwsClients clients;
    private DynamoDbClient dynamoDb;
    private S3Client s3;
    private String table;
    private String bucket;

    @BeforeEach
    void clients(AwsTestResources aws) {
        clients = AwsClients.create(aws.env(Map.of("REEL_AWS_CALL_TIMEOUT", "3s", "REEL_AWS_ATTEMPT_TIMEOUT", "500ms")));
        dynamoDb = clients.dynamoDb();
        s3 = clients.s3();
        table = aws.table("VideosTable");
        bucket = aws.bucket("MediaBucket");
    }

    @AfterEach
    void close() {
        clients.close();
    }

    @Test
    void aThrottledAttempt_isRetriedByTheSdk_andTheCallSucceeds() {
        try (var faults = Faults.inject(Fault.THROTTLED.on("DynamoDB", "GetItem").times(2))) {
            dynamoDb.getItem(r -> r.tableName(table).key(key("absent")));
            assertThat(faults.injected()).isEqualTo(2);
            assertThat(faults.matched()).as("two faulted attempts and the third that went through").isEqualTo(3);
        }
    }

    @Test
    void everyAttemptThrottled_endsInTheServicesOwnException_afterTheSdksAttempts() {
        try (var faults = Faults.inject(Fault.THROTTLED.on("DynamoDB", "PutItem").always())) {
            assertThatThrownBy(() -> dynamoDb.putItem(r -> r.tableName(table).item(key("never-written"))))
                    .isInstanceOf(ProvisionedThroughputExceededException.class)
                    .satisfies(e -> assertThat(((ProvisionedThroughputExceededException) e).isThrottlingException()).isTrue());
            assertThat(faults.injected()).as("the standard retry mode's attempts").isEqualTo(3);
        }
        assertThat(dynamoDb.getItem(r -> r.tableName(table).key(key("never-written")).consistentRead(true)).hasItem())
                .as("a faulted attempt never reaches the table").isFalse();
    }

    @Test
    void serverErrors_slowDown_droppedConnections_andHangs_failAsAwsWould() {
        try (var faults = Faults.inject(Fault.SERVER_ERROR.on("DynamoDB", "GetItem").always())) {
            assertThatThrownBy(() -> dynamoDb.getItem(r -> r.tableName(table).key(key("x"))))
                    .isInstanceOf(InternalServerErrorException.class);
        }
        try (var faults = Faults.inject(Fault.SLOW_DOWN.on("S3", "PutObject").always())) {
            assertThatThrownBy(() -> s3.putObject(r -> r.bucket(bucket).key("f/slow"), RequestBody.fromString("x")))
                    .isInstanceOf(S3Exception.class).satisfies(e -> {
                        assertThat(((S3Exception) e).statusCode()).isEqualTo(503);
                        assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("SlowDown");
                    });
            assertThat(faults.injected()).isGreaterThan(1);
        }
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("f/slow")).contents()).isEmpty();
        try (var faults = Faults.inject(Fault.DROPPED.on("S3", "GetObject").times(1))) {
            s3.putObject(r -> r.bucket(bucket).key("f/dropped"), RequestBody.fromString("kept"));
            assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key("f/dropped")).asUtf8String()).isEqualTo("kept");
            assertThat(faults.injected()).as("dropped once, retried").isEqualTo(1);
        }
        try (var faults = Faults.inject(Fault.TIMEOUT.on("DynamoDB", "Query").always().hanging(Duration.ofSeconds(20)))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> dynamoDb.query(r -> r.tableName(table).keyConditionExpression("videoId = :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("x")))))
                    .isInstanceOfAny(ApiCallTimeoutException.class, ApiCallAttemptTimeoutException.class, SdkClientException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by the call timeout, not the hang")
                    .isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void aFraction_faultsAboutThatShare_andRulesEndWithTheirScope() {
        try (var faults = Faults.inject(Fault.THROTTLED.on("DynamoDB", "GetItem").fraction(0.3))) {
            int failed = 0;
            for (int i = 0; i < 60; i++) {
                try {
                    dynamoDb.getItem(r -> r.tableName(table).key(key("any")));
                } catch (ProvisionedThroughputExceededException allThreeAttemptsThrottled) {
                    failed++; // 0.3^3: about 1 call in 37
                }
            }
            // Each attempt is faulted with probability 0.3 on its own (retries are attempts too): the share of the
            // attempts seen, within 5 standard deviations (a run of ~85 attempts has one of ~4.6).
            int attempts = faults.matched();
            double expected = 0.3 * attempts;
            double deviation = Math.sqrt(attempts * 0.3 * 0.7);
            assertThat(attempts).as("attempts seen").isGreaterThanOrEqualTo(60);
            assertThat((double) faults.injected()).as("faults injected of %d attempts", attempts)
                    .isBetween(expected - 5 * deviation, expected + 5 * deviation);
            assertThat(failed).as("the SDK's retries absorb most throttling").isLessThan(8);
        }
        try (var faults = Faults.inject(Fault.THROTTLED.on("DynamoDB", null).always())) {
            assertThat(faults.injected()).isZero();
        }
        dynamoDb.getItem(r -> r.tableName(table).key(key("after")));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("videoId", AttributeValue.fromS(id + "-" + UUID.randomUUID()));
    }
}
