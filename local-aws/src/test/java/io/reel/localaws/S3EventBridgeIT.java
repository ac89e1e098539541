package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** Every object created in a watched bucket arrives once, as the S3Event Lambda would receive. */
@ExtendWith(LocalAwsExtension.class)
class S3EventBridgeIT {
    private final BlockingQueue<S3Event> events = new LinkedBlockingQueue<>();
    private S3EventBridge.Subscription subscription;
    private String bucket;

    @BeforeEach
    void subscribe(AwsTestResources aws) {
        bucket = aws.bucket("UploadsBucket");
        subscription = aws.s3Events().subscribe(bucket, events::add);
    }

    @AfterEach
    void unsubscribe() {
        subscription.close();
    }

    @Test
    void putObject_deliversOneEventWithKeySizeAndETag(AwsTestResources aws) throws Exception {
        var put = aws.s3().putObject(r -> r.bucket(bucket).key("uploads/v-1/source.mp4"), RequestBody.fromBytes(new byte[1234]));

        S3EventNotificationRecord record = nextRecord();
        assertThat(record.getEventName()).isEqualTo("ObjectCreated:Put");
        assertThat(record.getEventSource()).isEqualTo("aws:s3");
        assertThat(record.getEventVersion()).isEqualTo("2.1");
        assertThat(record.getAwsRegion()).isEqualTo(aws.env().string("AWS_REGION"));
        assertThat(record.getEventTime()).isNotNull();
        assertThat(record.getS3().getBucket().getName()).isEqualTo(bucket);
        assertThat(record.getS3().getBucket().getArn()).isEqualTo("arn:aws:s3:::" + bucket);
        assertThat(record.getS3().getObject().getKey()).isEqualTo("uploads/v-1/source.mp4");
        assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(1234L);
        assertThat(record.getS3().getObject().geteTag()).isEqualTo(put.eTag().replace("\"", ""));
        assertThat(record.getS3().getObject().getSequencer()).matches("[0-9A-F]{16}");
        assertNoMoreEvents();
    }

    @Test
    void multipartUpload_deliversExactlyOneEventForTheWholeObject(AwsTestResources aws) throws Exception {
        String key = "uploads/v-2/big.mov";
        byte[] part1 = new byte[5 * 1024 * 1024];
        byte[] part2 = new byte[1024 * 1024 + 17];
        new Random(7).nextBytes(part1);
        String uploadId = aws.s3().createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        var e1 = aws.s3().uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(part1)).eTag();
        var e2 = aws.s3().uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(2), RequestBody.fromBytes(part2)).eTag();
        var done = aws.s3().completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(e1).build(),
                        CompletedPart.builder().partNumber(2).eTag(e2).build())));

        S3EventNotificationRecord record = nextRecord();
        assertThat(record.getEventName()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(record.getS3().getObject().getKey()).isEqualTo(key);
        assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo((long) part1.length + part2.length);
        assertThat(record.getS3().getObject().geteTag()).isEqualTo(done.eTag().replace("\"", "")).endsWith("-2");
        assertNoMoreEvents();
    }

    @Test
    void abortedMultipartUpload_deliversNothing(AwsTestResources aws) throws Exception {
        String uploadId = aws.s3().createMultipartUpload(r -> r.bucket(bucket).key("uploads/v-3/x.mp4")).uploadId();
        aws.s3().uploadPart(r -> r.bucket(bucket).key("uploads/v-3/x.mp4").uploadId(uploadId).partNumber(1), RequestBody.fromString("x"));
        aws.s3().abortMultipartUpload(r -> r.bucket(bucket).key("uploads/v-3/x.mp4").uploadId(uploadId));

        assertNoMoreEvents();
    }

    @Test
    void keyWithSpacesAndUnicode_arrivesUrlEncodedAsAwsSendsIt(AwsTestResources aws) throws Exception {
        String key = "uploads/My Holiday: día 1 (ß+€).mp4";
        aws.s3().putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("x"));

        S3EventNotificationRecord record = nextRecord();
        assertThat(record.getS3().getObject().getKey())
                .isEqualTo("uploads/My+Holiday%3A+d%C3%ADa+1+%28%C3%9F%2B%E2%82%AC%29.mp4");
        assertThat(record.getS3().getObject().getUrlDecodedKey()).isEqualTo(key);
        assertThat(URLDecoder.decode(record.getS3().getObject().getKey(), StandardCharsets.UTF_8)).isEqualTo(key);
    }

    @Test
    void copyObject_deliversACopyEvent(AwsTestResources aws) throws Exception {
        String other = aws.bucket("MediaBucket");
        aws.s3().putObject(r -> r.bucket(other).key("a.mp4"), RequestBody.fromString("abc"));
        aws.s3().copyObject(r -> r.sourceBucket(other).sourceKey("a.mp4").destinationBucket(bucket).destinationKey("uploads/copy.mp4"));

        S3EventNotificationRecord record = nextRecord();
        assertThat(record.getEventName()).isEqualTo("ObjectCreated:Copy");
        assertThat(record.getS3().getObject().getKey()).isEqualTo("uploads/copy.mp4");
        assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(3L);
        assertNoMoreEvents();
    }

    @Test
    void otherBuckets_deliverNothingHere(AwsTestResources aws) throws Exception {
        aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key("videos/v/poster.jpg"), RequestBody.fromString("jpg"));

        assertNoMoreEvents();
    }

    @Test
    void concurrentPuts_eachDeliverExactlyOnce(AwsTestResources aws) throws Exception {
        List<Thread> writers = IntStream.range(0, 40).mapToObj(i -> Thread.ofVirtual().start(() ->
                aws.s3().putObject(r -> r.bucket(bucket).key("uploads/burst/" + i), RequestBody.fromString("n" + i)))).toList();
        for (Thread writer : writers) {
            writer.join();
        }

        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add(nextRecord().getS3().getObject().getKey());
        }
        assertThat(keys).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 40).mapToObj(i -> "uploads/burst/" + i).toList());
        assertNoMoreEvents();
    }

    private S3EventNotificationRecord nextRecord() throws InterruptedException {
        S3Event event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an S3 event within 10 s").isNotNull();
        assertThat(event.getRecords()).hasSize(1);
        return event.getRecords().get(0);
    }

    private void assertNoMoreEvents() throws InterruptedException {
        assertThat(events.poll(Duration.ofMillis(300).toMillis(), TimeUnit.MILLISECONDS)).isNull();
    }
}
