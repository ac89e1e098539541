package io.reel.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import io.reel.transcode.probe.HostileFiles;
import io.reel.transcode.probe.TestMedia;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The deployed handler's whole path against DynamoDB Local and S3Proxy, with the real FFmpeg pipeline: the sample
 * event of {@code events/}, made to name a real upload, turns an AWAITING_UPLOAD video READY with its outputs
 * published; hostile uploads become FAILED with a sentence for the uploader; work folders never stay behind.
 */
@ExtendWith(LocalAwsExtension.class)
class TranscodeHandlerIT {
    private static final Path SAMPLE_EVENT = Path.of("..", "events", "transcode-upload-created.json");

    @TempDir
    static Path mediaDir;
    @TempDir
    Path workRoot;
    private static TestMedia media;
    private AwsTestResources aws;
    private DynamoDbVideoStore store;
    private final AtomicInteger exits = new AtomicInteger();

    @BeforeAll
    static void makeMedia() {
        media = TestMedia.in(mediaDir);
    }

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
    }

    private TranscodeHandler handler(Map<String, String> overrides) {
        var env = aws.env(Map.of("TRANSCODE_WORK_DIR", workRoot.toString())).with(overrides);
        return new TranscodeHandler(env, io.reel.core.AwsClients.create(env), exits::incrementAndGet);
    }

    /** An AWAITING_UPLOAD video whose upload is {@code file}; the sample event rewritten to name it. */
    private S3Event upload(Path file) throws Exception {
        String id = VideoIds.newId();
        Instant now = Instant.now();
        store.create(new Video(id, "u-owner", "Upload", null, VideoStatus.AWAITING_UPLOAD, null, null, 0, 0, List.of(), null, null,
                now, now));
        String key = "uploads/" + id + "/source";
        String eTag = aws.s3().putObject(r -> r.bucket(aws.bucket("UploadsBucket")).key(key), RequestBody.fromFile(file)).eTag();
        return event(aws.bucket("UploadsBucket"), key, eTag.replace("\"", ""), Files.size(file));
    }

    private static S3Event event(String bucket, String key, String eTag, long size) throws Exception {
        String json = Files.readString(SAMPLE_EVENT)
                .replace("reel-uploadsbucket-1a2b3c4d5e6f", bucket)
                .replace("uploads/k7t3v4x2m5n6p2r7sqawbecdfg/source", key)
                .replace("d41d8cd98f00b204e9800998ecf8427e-44", eTag)
                .replace("734003200", Long.toString(size));
        return LambdaEventSerializers.serializerFor(S3Event.class, TranscodeHandlerIT.class.getClassLoader())
                .fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String videoId(S3Event event) {
        return event.getRecords().getFirst().getS3().getObject().getKey().split("/")[1];
    }

    @Test
    void theSampleEvent_namesAnUpload() throws Exception {
        var sample = LambdaEventSerializers.serializerFor(S3Event.class, getClass().getClassLoader())
                .fromJson(Files.newInputStream(SAMPLE_EVENT));
        var upload = UploadedObject.from(sample.getRecords().getFirst()).orElseThrow();
        assertThat(upload.videoId()).isEqualTo("k7t3v4x2m5n6p2r7sqawbecdfg");
        assertThat(upload.eTag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e-44");
        assertThat(upload.size()).isEqualTo(734_003_200L);
    }

    @Test
    void outcomesAndDurationsAreMeasured_aSkippedRedeliveryIsNot() throws Exception {
        List<String> measured = new java.util.concurrent.CopyOnWriteArrayList<>();
        var metrics = new io.reel.core.metrics.Metrics() {
            @Override
            public void count(String metric) {
                measured.add(metric);
            }

            @Override
            public void record(String metric, double value, String unit) {
                measured.add(metric + (value > 0 ? ">0 " : "=0 ") + unit);
            }
        };
        var env = aws.env(Map.of("TRANSCODE_WORK_DIR", workRoot.toString()));
        var handler = new TranscodeHandler(env, io.reel.core.AwsClients.create(env), exits::incrementAndGet, metrics);
        S3Event event = upload(media.get("normal_16x9_audio.mp4"));

        handler.handleRequest(event, context(Duration.ofMinutes(5)));
        handler.handleRequest(event, context(Duration.ofMinutes(5)));

        assertThat(measured).containsExactly("TranscodeReady", "TranscodeSeconds>0 Seconds");
    }

    @Test
    void anUpload_becomesReady_withEveryOutputPublished_andARedeliveryDoesNothing() throws Exception {
        S3Event event = upload(media.get("normal_16x9_audio.mp4"));
        String id = videoId(event);
        TranscodeHandler handler = handler(Map.of());

        assertThat(handler.handleRequest(event, context(Duration.ofMinutes(5)))).isEqualTo("{" + id + "=READY}");

        Video video = store.find(id).orElseThrow();
        assertThat(video.status()).isEqualTo(VideoStatus.READY);
        assertThat(video.duration().toMillis()).isBetween(2_900L, 3_100L);
        assertThat(video.width()).isEqualTo(640);
        assertThat(video.height()).isEqualTo(360);
        String prefix = "videos/" + id + "/";
        assertThat(video.renditions()).extracting(Rendition::kind, Rendition::name, Rendition::width, Rendition::height, Rendition::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Rendition.Kind.HLS, "234p", 416, 234, prefix + "hls/234p.m3u8"),
                        org.assertj.core.groups.Tuple.tuple(Rendition.Kind.HLS, "360p", 640, 360, prefix + "hls/360p.m3u8"),
                        org.assertj.core.groups.Tuple.tuple(Rendition.Kind.MP4, "234p", 416, 234, prefix + "234p.mp4"),
                        org.assertj.core.groups.Tuple.tuple(Rendition.Kind.MP4, "360p", 640, 360, prefix + "360p.mp4"));
        assertThat(video.posterKey()).isEqualTo(prefix + "poster.jpg");
        assertThat(video.storyboardKey()).isEqualTo(prefix + "storyboard.jpg");

        String bucket = aws.bucket("MediaBucket");
        assertStored(bucket, prefix + "hls/master.m3u8", "application/vnd.apple.mpegurl", "no-cache");
        assertStored(bucket, prefix + "hls/360p/init.mp4", "video/mp4", OutputPublisher.MEDIA_CACHE);
        assertStored(bucket, prefix + "hls/360p/segment_00000.m4s", "video/iso.segment", OutputPublisher.MEDIA_CACHE);
        assertStored(bucket, prefix + "360p.mp4", "video/mp4", OutputPublisher.MEDIA_CACHE);
        assertStored(bucket, prefix + "poster.jpg", "image/jpeg", OutputPublisher.MEDIA_CACHE);
        assertStored(bucket, prefix + "storyboard.jpg", "image/jpeg", OutputPublisher.MEDIA_CACHE);
        assertStored(bucket, prefix + "storyboard.vtt", "text/vtt; charset=utf-8", "no-cache");
        String master = aws.s3().getObjectAsBytes(r -> r.bucket(bucket).key(prefix + "hls/master.m3u8")).asUtf8String();
        assertThat(master).contains("234p.m3u8").contains("360p.m3u8").contains("RESOLUTION=640x360");
        String cues = aws.s3().getObjectAsBytes(r -> r.bucket(bucket).key(prefix + "storyboard.vtt")).asUtf8String();
        assertThat(cues).startsWith("WEBVTT").contains("storyboard.jpg#xywh=0,0,160,90");

        assertThat(handler.handleRequest(event, context(Duration.ofMinutes(5)))).as("redelivered").isEqualTo("{" + id + "=SKIPPED}");
        assertThat(store.find(id).orElseThrow().updatedAt()).isEqualTo(video.updatedAt());
        assertWorkFoldersRemoved();
        assertThat(exits).hasValue(0);
    }

    private void assertStored(String bucket, String key, String contentType, String cacheControl) {
        HeadObjectResponse head = aws.s3().headObject(r -> r.bucket(bucket).key(key));
        assertThat(head.contentLength()).as(key).isPositive();
        assertThat(head.contentType()).as(key).isEqualTo(contentType);
        assertThat(head.cacheControl()).as(key).isEqualTo(cacheControl);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            audio_only.mp4              | no video
            zero_bytes.mp4              | The file is empty.
            truncated_moov_at_end.mp4   | couldn't read this video
            text_file.mp4               | text file
            random_bytes.mp4            | recognise this file as a video
            """)
    void aHostileUpload_becomesFailed_withAReasonForTheUploader(String name, String reason) throws Exception {
        S3Event event = upload(media.get(name));
        String id = videoId(event);

        assertThat(handler(Map.of()).handleRequest(event, context(Duration.ofMinutes(5)))).isEqualTo("{" + id + "=FAILED}");

        Video video = store.find(id).orElseThrow();
        assertThat(video.status()).isEqualTo(VideoStatus.FAILED);
        assertThat(video.failureReason()).containsIgnoringCase(reason);
        assertThat(aws.s3().listObjectsV2(r -> r.bucket(aws.bucket("MediaBucket")).prefix("videos/" + id + "/")).contents())
                .as("nothing published").isEmpty();
        assertWorkFoldersRemoved();
    }

    @Test
    void anAviHidingAnHlsPlaylist_isFailed_withoutTheFileItNamesBeingRead() throws Exception {
        Path secrets = Files.createDirectories(mediaDir.resolve("secrets"));
        Path secret = HostileFiles.secretFile(secrets, media.get("secret_template.ts"));
        Path trick = HostileFiles.create(secrets, secret).get("hls playlist in AVI GAB2 (.mp4)");
        HostileFiles.resetAtime(secret);
        S3Event event = upload(trick);
        String id = videoId(event);

        assertThat(handler(Map.of()).handleRequest(event, context(Duration.ofMinutes(5)))).isEqualTo("{" + id + "=FAILED}");

        assertThat(store.find(id).orElseThrow().failureReason()).contains("AVI");
        assertThat(HostileFiles.atime(secret)).as("the named file was never read").isEqualTo(Instant.parse("2001-01-01T00:00:00Z"));
    }

    @Test
    void runningOutOfTime_failsTheVideo_sayingSo() throws Exception {
        S3Event event = upload(media.get("normal_16x9_audio.mp4"));
        String id = videoId(event);

        // 30 s left and a 30 s margin: the deadline has passed when the encoder starts
        assertThat(handler(Map.of()).handleRequest(event, context(Duration.ofSeconds(30)))).isEqualTo("{" + id + "=FAILED}");

        assertThat(store.find(id).orElseThrow().failureReason()).startsWith("Processing took too long");
        assertThat(aws.s3().listObjectsV2(r -> r.bucket(aws.bucket("MediaBucket")).prefix("videos/" + id + "/")).contents()).isEmpty();
        assertWorkFoldersRemoved();
    }

    @Test
    void aVideoWhoseProcessingWasAbandoned_isFailedByTheNextInvocation() throws Exception {
        S3Event crashed = upload(media.get("one_second.mp4"));
        String lost = videoId(crashed);
        // an attempt claimed it an hour ago and died (killed, out of memory): nothing will come back for it
        String eTag = crashed.getRecords().getFirst().getS3().getObject().geteTag();
        store.claimProcessing(lost, eTag, Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(16));

        S3Event next = event(aws.bucket("UploadsBucket"), "uploads/not-a-video-id/source", "abc", 10);
        handler(Map.of()).handleRequest(next, context(Duration.ofMinutes(5)));

        Video video = store.find(lost).orElseThrow();
        assertThat(video.status()).isEqualTo(VideoStatus.FAILED);
        assertThat(video.failureReason()).isEqualTo(Transcoder.ABANDONED);
    }

    @Test
    void aKilledAttempt_isTakenOverByARedeliveryOfItsEvent_whichFinishesIt() throws Exception {
        S3Event killed = upload(media.get("one_second.mp4"));
        String id = videoId(killed);
        // an attempt claimed it an hour ago and was killed part-way, after publishing one output
        store.claimProcessing(id, killed.getRecords().getFirst().getS3().getObject().geteTag(),
                Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(16));
        aws.s3().putObject(r -> r.bucket(aws.bucket("MediaBucket")).key("videos/" + id + "/poster.jpg"),
                RequestBody.fromString("half-written"));

        assertThat(handler(Map.of()).handleRequest(killed, context(Duration.ofMinutes(5)))).as("the event again")
                .isEqualTo("{" + id + "=READY}");

        assertThat(store.find(id).orElseThrow().status()).isEqualTo(VideoStatus.READY);
        assertThat(aws.s3().getObjectAsBytes(r -> r.bucket(aws.bucket("MediaBucket")).key("videos/" + id + "/poster.jpg"))
                .asByteArray()[0] & 0xFF).as("the poster rewritten, a JPEG").isEqualTo(0xFF);
        assertWorkFoldersRemoved();
    }

    @Test
    void theScheduledEventWithoutRecords_onlySweeps() throws Exception {
        S3Event crashed = upload(media.get("one_second.mp4"));
        String lost = videoId(crashed);
        store.claimProcessing(lost, crashed.getRecords().getFirst().getS3().getObject().geteTag(),
                Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(16));
        S3Event sweep = LambdaEventSerializers.serializerFor(S3Event.class, getClass().getClassLoader())
                .fromJson(Files.newInputStream(Path.of("..", "events", "transcode-sweep.json")));

        assertThat(handler(Map.of()).handleRequest(sweep, context(Duration.ofMinutes(5)))).isEqualTo("{}");

        assertThat(store.find(lost).orElseThrow().failureReason()).isEqualTo(Transcoder.ABANDONED);
    }

    @Test
    void anObjectThatIsNotAnUpload_isIgnored() throws Exception {
        S3Event event = event(aws.bucket("UploadsBucket"), "uploads/not-a-video-id/source", "abc", 10);
        assertThat(handler(Map.of()).handleRequest(event, context(Duration.ofMinutes(5))))
                .isEqualTo("{uploads/not-a-video-id/source=IGNORED}");
    }

    @Test
    void aTransientFailure_propagates_soLambdaRetries_andTheVideoCanBeClaimedAgain() throws Exception {
        S3Event event = upload(media.get("normal_16x9_audio.mp4"));
        String id = videoId(event);
        var broken = handler(Map.of("MEDIA_BUCKET", "no-such-bucket-" + id));

        assertThatThrownBy(() -> broken.handleRequest(event, context(Duration.ofMinutes(5)))).isInstanceOf(RuntimeException.class);
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
        assertWorkFoldersRemoved();

        assertThat(handler(Map.of()).handleRequest(event, context(Duration.ofMinutes(5)))).as("Lambda's retry")
                .isEqualTo("{" + id + "=READY}");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Faults (issue #15): S3 and DynamoDB failing part-way, and S3's at-least-once delivery
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void s3SlowingDownPartWayThroughPublishing_leavesNoReady_andLambdasRetryPublishesTheWholeSet() throws Exception {
        Set<String> reference = outputsOfACleanRun("normal_16x9_audio.mp4");
        S3Event event = upload(media.get("normal_16x9_audio.mp4"));
        String id = videoId(event);

        try (var faults = io.reel.localaws.faults.Faults.inject(io.reel.localaws.faults.Faults.Fault.SLOW_DOWN.on("S3", "PutObject")
                .afterFirst(3))) {
            assertThatThrownBy(() -> handler(Map.of()).handleRequest(event, context(Duration.ofMinutes(5))))
                    .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
            assertThat(faults.injected()).isPositive();
        }
        assertThat(store.find(id).orElseThrow().status()).as("never READY without its outputs").isEqualTo(VideoStatus.PROCESSING);
        // At most the three PUTs the fault let through: uploads run in parallel, and the first failure interrupts
        // those still in flight (one of the three may be among them).
        assertThat(outputs(id)).as("the objects published before S3 slowed down").hasSizeLessThanOrEqualTo(3);
        assertWorkFoldersRemoved();

        assertThat(handler(Map.of()).handleRequest(event, context(Duration.ofMinutes(5)))).as("Lambda's retry")
                .isEqualTo("{" + id + "=READY}");
        assertThat(outputs(id)).isEqualTo(reference);
    }

    @Test
    void throttledDynamoDb_isRetriedByTheSdk_andTheVideoStillBecomesReady() throws Exception {
        S3Event event = upload(media.get("one_second.mp4"));
        String id = videoId(event);

        try (var faults = io.reel.localaws.faults.Faults.inject(io.reel.localaws.faults.Faults.Fault.THROTTLED.on("DynamoDB", "UpdateItem")
                .times(2))) {
            assertThat(handler(Map.of()).handleRequest(event, context(Duration.ofMinutes(5)))).isEqualTo("{" + id + "=READY}");
            assertThat(faults.injected()).isEqualTo(2);
        }
    }

    @Test
    void theSameEventDeliveredThreeTimesAtOnce_givesOneReadyAndOneOutputSet() throws Exception {
        Set<String> reference = outputsOfACleanRun("one_second.mp4");
        S3Event event = upload(media.get("one_second.mp4"));
        String id = videoId(event);
        var start = new java.util.concurrent.CyclicBarrier(3);
        List<String> outcomes;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(3)) {
            var deliveries = new java.util.ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < 3; i++) {
                deliveries.add(pool.submit(() -> {
                    start.await();
                    return handler(Map.of()).handleRequest(event, context(Duration.ofMinutes(5)));
                }));
            }
            outcomes = new java.util.ArrayList<>();
            for (var delivery : deliveries) {
                outcomes.add(delivery.get());
            }
        }

        assertThat(outcomes).containsExactlyInAnyOrder("{" + id + "=READY}", "{" + id + "=SKIPPED}", "{" + id + "=SKIPPED}");
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(VideoStatus.READY);
        assertThat(outputs(id)).isEqualTo(reference);
        assertWorkFoldersRemoved();
    }

    /** The output keys (with the video id taken out) of one undisturbed transcode of {@code file}. */
    private Set<String> outputsOfACleanRun(String file) throws Exception {
        S3Event event = upload(media.get(file));
        assertThat(handler(Map.of()).handleRequest(event, context(Duration.ofMinutes(5)))).endsWith("=READY}");
        return outputs(videoId(event));
    }

    private Set<String> outputs(String id) {
        return aws.s3().listObjectsV2Paginator(r -> r.bucket(aws.bucket("MediaBucket")).prefix("videos/" + id + "/")).contents()
                .stream().map(o -> o.key().substring(("videos/" + id + "/").length())).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    private void assertWorkFoldersRemoved() throws Exception {
        try (Stream<Path> left = Files.list(workRoot)) {
            assertThat(left).as("work folders left in " + workRoot).isEmpty();
        }
    }

    private static Context context(Duration remaining) {
        long deadline = System.nanoTime() + remaining.toNanos();
        return new Context() {
            @Override public String getAwsRequestId() { return "test-request"; }
            @Override public String getLogGroupName() { return "test"; }
            @Override public String getLogStreamName() { return "test"; }
            @Override public String getFunctionName() { return "TranscodeFunction"; }
            @Override public String getFunctionVersion() { return "$LATEST"; }
            @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:000000000000:function:TranscodeFunction"; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000); }
            @Override public int getMemoryLimitInMB() { return 10240; }
            @Override public LambdaLogger getLogger() { return null; }
        };
    }
}
