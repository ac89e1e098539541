package io.reel.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 notifications reach the template's S3-triggered function with its filters, and failures are retried twice. */
class DevServerS3IT {
    private static DevServer server;
    private static DynamoDbClient dynamoDb;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = DevServer.builder()
                .template(DevServerIT.FIXTURE.resolve("template.yaml"))
                .siteDirectory(DevServerIT.FIXTURE.resolve("site"))
                .port(0)
                .s3RetryDelays(List.of(Duration.ofMillis(100), Duration.ofMillis(200)))
                .start();
        dynamoDb = server.localAws().clients().dynamoDb();
        s3 = server.localAws().clients().s3();
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        s3.close();
        server.close();
    }

    @Test
    void matchingObject_isDeliveredOnceWithItsEvent() throws Exception {
        s3.putObject(r -> r.bucket("drop").key("incoming/My Clip.mp4"), RequestBody.fromBytes(new byte[321]));

        Map<String, AttributeValue> item = awaitItem("incoming/My Clip.mp4", 1);
        assertThat(item.get("eventName").s()).isEqualTo("ObjectCreated:Put");
        assertThat(item.get("sizeBytes").n()).isEqualTo("321");
        assertThat(item.get("rawKey").s()).isEqualTo("incoming/My+Clip.mp4");
        Thread.sleep(500);
        assertThat(item("incoming/My Clip.mp4").get("attempts").n()).as("delivered once").isEqualTo("1");
    }

    @Test
    void objectsOutsideTheFilters_areNotDelivered() throws Exception {
        s3.putObject(r -> r.bucket("drop").key("incoming/notes.txt"), RequestBody.fromString("x"));
        s3.putObject(r -> r.bucket("drop").key("elsewhere/clip.mp4"), RequestBody.fromString("x"));
        s3.putObject(r -> r.bucket("drop").key("incoming/last.mp4"), RequestBody.fromString("x"));

        awaitItem("incoming/last.mp4", 1); // delivered in order, so the two before it were judged already
        assertThat(item("incoming/notes.txt")).isEmpty();
        assertThat(item("elsewhere/clip.mp4")).isEmpty();
    }

    @Test
    void failingDelivery_isRetriedTwice() throws Exception {
        s3.putObject(r -> r.bucket("drop").key("flaky/clip.bin"), RequestBody.fromString("x"));

        Map<String, AttributeValue> item = awaitItem("flaky/clip.bin", 3);
        assertThat(item.get("attempts").n()).isEqualTo("3");
        assertThat(server.exhaustedS3Deliveries()).isZero();
    }

    private static Map<String, AttributeValue> awaitItem(String key, int attempts) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, AttributeValue> item = item(key);
            if (!item.isEmpty() && Integer.parseInt(item.get("attempts").n()) >= attempts) {
                return item;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no delivery of " + key + " with " + attempts + " attempts within 15 s; saw " + item(key));
    }

    private static Map<String, AttributeValue> item(String key) {
        return dynamoDb.getItem(r -> r.tableName("Items").key(Map.of("id", AttributeValue.fromS(key))).consistentRead(true)).item();
    }
}
