package io.reel.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.port.VideoStore.Outputs;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * The transcoder's exactly-once and failure rules against DynamoDB Local and S3Proxy, with a scripted pipeline (the
 * FFmpeg pipeline has its own tests): what each delivery of an upload's event does to the video.
 */
@ExtendWith(LocalAwsExtension.class)
class TranscoderIT {
    @TempDir
    Path workRoot;
    private AwsTestResources aws;
    private DynamoDbVideoStore store;
    private final AtomicInteger runs = new AtomicInteger();
    private final List<Path> workDirs = new CopyOnWriteArrayList<>();
    private final List<Step> script = new CopyOnWriteArrayList<>();

    /** What the scripted pipeline does on its next run. */
    enum Step { SUCCEED, REJECT, THROTTLE, SLOW_SUCCEED, REPORT_PROGRESS }

    /** What the video said while the REPORT_PROGRESS step ran. */
    private final List<Integer> seenPercent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(AwsTestResources aws) {
        this.aws = aws;
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
    }

    private Transcoder transcoder() {
        MediaPipeline pipeline = (upload, attempt, source, workDir, deadline, progress) -> {
            String videoId = upload.videoId();
            int run = runs.getAndIncrement();
            workDirs.add(workDir);
            assertThat(Files.readAllBytes(source)).isEqualTo(new byte[] {1, 2, 3, 4, 5});
            Files.writeString(workDir.resolve("scratch"), "temp");
            Step step = run < script.size() ? script.get(run) : Step.SUCCEED;
            switch (step) {
                case REJECT -> throw new RejectedInputException("No video stream found.");
                case THROTTLE -> throw ProvisionedThroughputExceededException.builder().message("slow down").build();
                case SLOW_SUCCEED -> sleep(500);
                case REPORT_PROGRESS -> {
                    for (int percent : new int[] {40, 30, 140}) { // 30 goes backwards: not written; 140 is capped at 99
                        progress.accept(percent);
                        seenPercent.add(store.find(videoId).orElseThrow().processingPercent());
                    }
                }
                default -> { }
            }
            return new MediaPipeline.Finished(new Outputs(Duration.ofSeconds(61), 1280, 720, List.of(
                    new Rendition("720p", Rendition.Kind.HLS, 1280, 720, 3000, "videos/" + videoId + "/hls/720p.m3u8")),
                    "videos/" + videoId + "/poster.jpg", "videos/" + videoId + "/storyboard/storyboard.jpg"));
        };
        return new Transcoder(store, aws.s3(), pipeline,
                new Transcoder.Settings(Duration.ofMinutes(16), 3, 1_000, workRoot, Duration.ZERO), Clock.systemUTC());
    }

    private UploadedObject upload(byte[] bytes) {
        String id = VideoIds.newId();
        Instant now = Instant.now();
        store.create(new Video(id, "u-owner", "Transcode", null, VideoStatus.AWAITING_UPLOAD, null, null, 0, 0, List.of(), null,
                null, now, now));
        String key = "uploads/" + id + "/source";
        String eTag = aws.s3().putObject(r -> r.bucket(aws.bucket("UploadsBucket")).key(key), RequestBody.fromBytes(bytes)).eTag();
        return new UploadedObject(aws.bucket("UploadsBucket"), key, id, eTag.replace("\"", ""), bytes.length);
    }

    private static final byte[] FILE = {1, 2, 3, 4, 5};

    @Test
    void anUpload_becomesReady_andARedeliveredEventDoesNothing() {
        UploadedObject upload = upload(FILE);
        Transcoder transcoder = transcoder();

        assertThat(transcoder.process(upload, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.READY);
        Video video = store.find(upload.videoId()).orElseThrow();
        assertThat(video.status()).isEqualTo(VideoStatus.READY);
        assertThat(video.duration()).isEqualTo(Duration.ofSeconds(61));
        assertThat(video.posterKey()).endsWith("/poster.jpg");

        assertThat(transcoder.process(upload, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.SKIPPED);
        assertThat(runs).hasValue(1);
        assertWorkFoldersRemoved();
    }

    @Test
    void progress_isRecordedOnTheVideoWhileItRuns_andClearedWhenReady() {
        UploadedObject upload = upload(FILE);
        script.add(Step.REPORT_PROGRESS);

        assertThat(transcoder().process(upload, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.READY);

        assertThat(seenPercent).containsExactly(40, 40, 99);
        assertThat(store.find(upload.videoId()).orElseThrow().processingPercent()).isNull();
    }

    @Test
    void twoConcurrentDeliveries_runThePipelineOnce() throws Exception {
        script.add(Step.SLOW_SUCCEED);
        UploadedObject upload = upload(FILE);
        Transcoder transcoder = transcoder();
        var pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Transcoder.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return transcoder.process(upload, Instant.now().plusSeconds(60));
                }));
            }
            start.countDown();
            List<Transcoder.Outcome> results = new ArrayList<>();
            for (var outcome : outcomes) {
                results.add(outcome.get(30, TimeUnit.SECONDS));
            }
            assertThat(results).containsExactlyInAnyOrder(Transcoder.Outcome.READY, Transcoder.Outcome.SKIPPED);
            assertThat(runs).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRejectedInput_isFailedWithItsReason_andNotRetried() {
        script.add(Step.REJECT);
        UploadedObject upload = upload(FILE);

        assertThat(transcoder().process(upload, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.FAILED);

        Video video = store.find(upload.videoId()).orElseThrow();
        assertThat(video.status()).isEqualTo(VideoStatus.FAILED);
        assertThat(video.failureReason()).isEqualTo("No video stream found.");
        assertThat(transcoder().process(upload, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.SKIPPED);
        assertWorkFoldersRemoved();
    }

    @Test
    void aTransientFailure_propagatesForLambdaToRetry_andTheRetrySucceeds() {
        script.add(Step.THROTTLE);
        UploadedObject upload = upload(FILE);
        Transcoder transcoder = transcoder();

        assertThatThrownBy(() -> transcoder.process(upload, Instant.now().plusSeconds(60)))
                .isInstanceOf(ProvisionedThroughputExceededException.class);
        assertThat(store.find(upload.videoId()).orElseThrow().status()).as("still processing, claim released")
                .isEqualTo(VideoStatus.PROCESSING);

        assertThat(transcoder.process(upload, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.READY);
        assertWorkFoldersRemoved();
    }

    @Test
    void onTheLastAttempt_theVideoIsFailed_andTheFailureStillPropagates() {
        script.addAll(List.of(Step.THROTTLE, Step.THROTTLE, Step.THROTTLE));
        UploadedObject upload = upload(FILE);
        Transcoder transcoder = transcoder();

        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThatThrownBy(() -> transcoder.process(upload, Instant.now().plusSeconds(60)))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
        }

        Video video = store.find(upload.videoId()).orElseThrow();
        assertThat(video.status()).isEqualTo(VideoStatus.FAILED);
        assertThat(video.failureReason()).contains("3 times").contains("upload the video again");
        assertWorkFoldersRemoved();
    }

    @Test
    void aMissingOrOversizedOrEmptyUpload_isFailedWithAReason_beforeThePipeline() {
        UploadedObject gone = upload(FILE);
        aws.s3().deleteObject(r -> r.bucket(gone.bucket()).key(gone.key()));
        assertThat(transcoder().process(gone, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.FAILED);
        assertThat(store.find(gone.videoId()).orElseThrow().failureReason()).contains("gone");

        UploadedObject big = upload(new byte[1_001]);
        assertThat(transcoder().process(big, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.FAILED);
        assertThat(store.find(big.videoId()).orElseThrow().failureReason()).contains("larger than");

        UploadedObject empty = upload(new byte[0]);
        assertThat(transcoder().process(empty, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.FAILED);
        assertThat(store.find(empty.videoId()).orElseThrow().failureReason()).isEqualTo("The file is empty.");
        assertThat(runs).hasValue(0);
        assertWorkFoldersRemoved();
    }

    @Test
    void aDeletedVideo_orAnotherUploadsETag_isSkipped() {
        UploadedObject upload = upload(FILE);
        store.delete(upload.videoId());
        assertThat(transcoder().process(upload, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.SKIPPED);
        // Issue #15, defect 5: a presigned PUT used after its upload was cancelled left the object for ever.
        assertThat(aws.s3().listObjectsV2(r -> r.bucket(upload.bucket()).prefix(upload.key())).contents())
                .as("the object of a video that no longer exists is deleted").isEmpty();

        UploadedObject first = upload(FILE);
        assertThat(transcoder().process(first, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.READY);
        UploadedObject other = new UploadedObject(first.bucket(), first.key(), first.videoId(), "0123456789abcdef", 5);
        assertThat(transcoder().process(other, Instant.now().plusSeconds(60))).isEqualTo(Transcoder.Outcome.SKIPPED);
        assertThat(runs).hasValue(1);
    }

    private void assertWorkFoldersRemoved() {
        try (Stream<Path> left = Files.list(workRoot)) {
            assertThat(left.toList()).as("no attempt leaves its folder behind").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
