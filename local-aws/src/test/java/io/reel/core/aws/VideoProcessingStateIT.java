package io.reel.core.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoIds;
import io.reel.core.domain.VideoStatus;
import io.reel.core.port.VideoStore.Claim;
import io.reel.core.port.VideoStore.ClaimResult;
import io.reel.core.port.VideoStore.Outputs;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The processing state machine of a video (claim, release, READY, FAILED) against DynamoDB Local. */
@ExtendWith(LocalAwsExtension.class)
class VideoProcessingStateIT {
    private static final Duration STALE = Duration.ofMinutes(16);
    private static final String ETAG = "\"9b2cf535f27731c974343645a3985328\"";
    private DynamoDbVideoStore store;
    private final Instant t0 = Instant.parse("2026-11-25T10:00:00Z");

    @BeforeEach
    void store(AwsTestResources aws) {
        store = new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable"));
    }

    private String awaitingUpload() {
        String id = VideoIds.newId();
        store.create(new Video(id, "u-owner", "Processing", null, VideoStatus.AWAITING_UPLOAD, null, null, 0, 0, List.of(),
                null, null, t0, t0));
        return id;
    }

    @Test
    void theFirstDeliveryClaims_aRedeliveryWhileProcessingIsInProgress_andAfterReadyIsSettled() {
        String id = awaitingUpload();

        assertThat(store.claimProcessing(id, ETAG, t0, STALE)).isEqualTo(new ClaimResult(Claim.CLAIMED, 1));
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
        assertThat(store.claimProcessing(id, ETAG, t0.plusSeconds(60), STALE).claim()).isEqualTo(Claim.IN_PROGRESS);

        var outputs = new Outputs(Duration.ofMillis(61_500), 1080, 1920, List.of(
                new Rendition("720p", Rendition.Kind.HLS, 720, 1280, 3000, "videos/" + id + "/hls/720p.m3u8")),
                "videos/" + id + "/poster.jpg", null);
        assertThat(store.markReady(id, ETAG, outputs, t0.plusSeconds(90))).isTrue();
        Video ready = store.find(id).orElseThrow();
        assertThat(ready.status()).isEqualTo(VideoStatus.READY);
        assertThat(ready.duration()).isEqualTo(Duration.ofMillis(61_500));
        assertThat(ready.width()).isEqualTo(1080);
        assertThat(ready.renditions()).isEqualTo(outputs.renditions());
        assertThat(ready.posterKey()).isEqualTo("videos/" + id + "/poster.jpg");
        assertThat(ready.storyboardKey()).isNull();
        assertThat(ready.updatedAt()).isEqualTo(t0.plusSeconds(90));

        assertThat(store.claimProcessing(id, ETAG, t0.plus(Duration.ofHours(2)), STALE).claim()).as("never again").isEqualTo(Claim.SETTLED);
        assertThat(store.markReady(id, ETAG, outputs, t0.plusSeconds(100))).as("one READY transition").isFalse();
        assertThat(store.markFailed(id, ETAG, "late", t0.plusSeconds(100))).isFalse();
    }

    @Test
    void concurrentDeliveries_exactlyOneClaims() throws Exception {
        String id = awaitingUpload();
        var pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ClaimResult>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<ClaimResult> claim = () -> {
                    start.await();
                    return store.claimProcessing(id, ETAG, t0, STALE);
                };
                results.add(pool.submit(claim));
            }
            start.countDown();
            List<Claim> claims = new ArrayList<>();
            for (Future<ClaimResult> result : results) {
                claims.add(result.get().claim());
            }
            assertThat(claims).filteredOn(c -> c == Claim.CLAIMED).hasSize(1);
            assertThat(claims).filteredOn(c -> c == Claim.IN_PROGRESS).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReleasedOrStaleClaim_isClaimedAgain_countingAttempts_butAnotherUploadsETagIsNot() {
        String id = awaitingUpload();
        assertThat(store.claimProcessing(id, ETAG, t0, STALE).attempt()).isEqualTo(1);

        store.releaseClaim(id, ETAG);
        assertThat(store.claimProcessing(id, ETAG, t0.plusSeconds(60), STALE)).isEqualTo(new ClaimResult(Claim.CLAIMED, 2));
        assertThat(store.claimProcessing(id, ETAG, t0.plusSeconds(60).plus(STALE).minusSeconds(1), STALE).claim())
                .as("a claim younger than the function's timeout is alive").isEqualTo(Claim.IN_PROGRESS);
        assertThat(store.claimProcessing(id, ETAG, t0.plusSeconds(61).plus(STALE), STALE))
                .as("a crashed attempt's claim goes stale").isEqualTo(new ClaimResult(Claim.CLAIMED, 3));
        assertThat(store.claimProcessing(id, "\"other\"", t0.plus(Duration.ofHours(1)), STALE).claim()).isEqualTo(Claim.SETTLED);
        store.releaseClaim(id, "\"other\"");
        assertThat(store.claimProcessing(id, ETAG, t0.plusSeconds(62).plus(STALE), STALE).claim())
                .as("another eTag cannot release this claim").isEqualTo(Claim.IN_PROGRESS);
    }

    @Test
    void failing_keepsAReason_fromProcessingOrAwaiting_andNeverFromAnotherUploadOrTwice() {
        String id = awaitingUpload();
        store.claimProcessing(id, ETAG, t0, STALE);
        assertThat(store.markFailed(id, "\"other\"", "no", t0)).isFalse();
        assertThat(store.markFailed(id, ETAG, "no video stream found", t0.plusSeconds(5))).isTrue();
        Video failed = store.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(VideoStatus.FAILED);
        assertThat(failed.failureReason()).isEqualTo("no video stream found");
        assertThat(store.markFailed(id, ETAG, "again", t0.plusSeconds(6))).isFalse();
        assertThat(store.claimProcessing(id, ETAG, t0.plus(Duration.ofHours(1)), STALE).claim()).isEqualTo(Claim.SETTLED);

        String awaiting = awaitingUpload();
        assertThat(store.markFailed(awaiting, ETAG, "the uploaded file is gone", t0)).isTrue();

        String gone = VideoIds.newId();
        assertThat(store.claimProcessing(gone, ETAG, t0, STALE).claim()).isEqualTo(Claim.NOT_FOUND);
        assertThat(store.markFailed(gone, ETAG, "x", t0)).isFalse();
        assertThat(store.markReady(gone, ETAG, new Outputs(Duration.ZERO, 1, 1, List.of(), null, null), t0)).isFalse();
    }

    @Test
    void progress_isKeptOnlyWhileThisUploadIsProcessing_andGoesWithTheState() {
        String id = awaitingUpload();
        assertThat(store.recordProgress(id, ETAG, 10, t0)).as("not claimed yet").isFalse();
        store.claimProcessing(id, ETAG, t0, STALE);
        assertThat(store.find(id).orElseThrow().processingPercent()).isNull();

        assertThat(store.recordProgress(id, ETAG, 42, t0.plusSeconds(5))).isTrue();
        assertThat(store.find(id).orElseThrow().processingPercent()).isEqualTo(42);
        assertThat(store.recordProgress(id, "\"other\"", 90, t0.plusSeconds(6))).as("another upload's").isFalse();
        assertThat(store.find(id).orElseThrow().processingPercent()).isEqualTo(42);

        store.releaseClaim(id, ETAG);
        store.claimProcessing(id, ETAG, t0.plusSeconds(10), STALE);
        assertThat(store.find(id).orElseThrow().processingPercent()).as("a retry starts again").isNull();
        store.recordProgress(id, ETAG, 80, t0.plusSeconds(20));
        assertThat(store.markReady(id, ETAG, new Outputs(Duration.ofSeconds(3), 2, 2, List.of(), null, null), t0.plusSeconds(30))).isTrue();
        assertThat(store.find(id).orElseThrow().processingPercent()).as("READY has no progress").isNull();
        assertThat(store.recordProgress(id, ETAG, 90, t0.plusSeconds(31))).isFalse();

        String failing = awaitingUpload();
        store.claimProcessing(failing, ETAG, t0, STALE);
        store.recordProgress(failing, ETAG, 50, t0);
        store.markFailed(failing, ETAG, "took too long", t0.plusSeconds(1));
        assertThat(store.find(failing).orElseThrow().processingPercent()).isNull();
    }

    @Test
    void chunksDone_countEachChunkOnce_progressNeverGoesBack_andBothRenewTheClaim() {
        String id = awaitingUpload();
        assertThat(store.recordChunkDone(id, ETAG, 0, t0)).as("not claimed yet").isEqualTo(-1);
        store.claimProcessing(id, ETAG, t0, STALE);
        assertThat(store.recordChunkDone(id, ETAG, 3, t0.plusSeconds(60))).isEqualTo(1);
        assertThat(store.recordChunkDone(id, ETAG, 3, t0.plusSeconds(61))).as("a retried chunk").isEqualTo(1);
        assertThat(store.recordChunkDone(id, ETAG, 0, t0.plusSeconds(62))).isEqualTo(2);
        assertThat(store.recordChunkDone(id, "\"other\"", 1, t0.plusSeconds(63))).as("another upload's").isEqualTo(-1);

        assertThat(store.recordProgressAtLeast(id, ETAG, 47, t0.plusSeconds(64))).isTrue();
        assertThat(store.recordProgressAtLeast(id, ETAG, 26, t0.plusSeconds(65))).as("a chunk that finished late").isFalse();
        assertThat(store.find(id).orElseThrow().processingPercent()).isEqualTo(47);

        // Past the stale age of the claim itself, but not of its last renewal: alive; a re-claim finds it young.
        Instant later = t0.plusSeconds(64).plus(STALE);
        assertThat(store.claimProcessing(id, ETAG, later, STALE).claim()).isNotEqualTo(Claim.CLAIMED);
        assertThat(store.markReady(id, ETAG, new Outputs(Duration.ofSeconds(3), 2, 2, List.of(), null, null), later)).isTrue();
        assertThat(store.recordChunkDone(id, ETAG, 4, later)).as("settled").isEqualTo(-1);
        assertThat(store.recordProgressAtLeast(id, ETAG, 90, later)).isFalse();
    }

    /** Sweeps see the whole table: these tests claim before every other test's t0, each in its own era. */
    @Test
    void anAbandonedClaim_isFailedBySweeping_butNotALiveOrReleasedOne() {
        Instant era = t0.minus(Duration.ofDays(10));
        String crashed = awaitingUpload();
        store.claimProcessing(crashed, ETAG, era, STALE);
        String live = awaitingUpload();
        store.claimProcessing(live, ETAG, era.plus(Duration.ofMinutes(10)), STALE);
        String released = awaitingUpload();
        store.claimProcessing(released, ETAG, era, STALE);
        store.releaseClaim(released, ETAG);

        assertThat(store.failAbandoned(era.plus(STALE).minusSeconds(1), STALE, "lost", 10)).as("nothing older than the timeout")
                .isZero();
        Instant later = era.plus(STALE).plusSeconds(1);
        assertThat(store.failAbandoned(later, STALE, "Processing stopped unexpectedly.", 10)).isEqualTo(1);

        Video failed = store.find(crashed).orElseThrow();
        assertThat(failed.status()).isEqualTo(VideoStatus.FAILED);
        assertThat(failed.failureReason()).isEqualTo("Processing stopped unexpectedly.");
        assertThat(store.find(live).orElseThrow().status()).isEqualTo(VideoStatus.PROCESSING);
        assertThat(store.find(released).orElseThrow().status()).as("waiting for Lambda's retry").isEqualTo(VideoStatus.PROCESSING);
        assertThat(store.failAbandoned(later, STALE, "again", 10)).as("once").isZero();
        assertThat(store.claimProcessing(crashed, ETAG, later, STALE).claim()).as("a late redelivery").isEqualTo(Claim.SETTLED);
        String awaiting = awaitingUpload();
        assertThat(store.failAbandoned(later.plus(Duration.ofDays(1)), STALE, "lost", 10)).isGreaterThanOrEqualTo(1); // live
        assertThat(store.find(awaiting).orElseThrow().status()).as("never claimed").isEqualTo(VideoStatus.AWAITING_UPLOAD);
    }

    @Test
    void sweeping_stopsAtItsLimit() {
        Instant era = t0.minus(Duration.ofDays(20));
        for (int i = 0; i < 3; i++) {
            store.claimProcessing(awaitingUpload(), ETAG, era, STALE);
        }
        Instant later = era.plus(Duration.ofHours(1));
        assertThat(store.failAbandoned(later, STALE, "lost", 2)).isEqualTo(2);
        assertThat(store.failAbandoned(later, STALE, "lost", 2)).isEqualTo(1);
    }

    @Test
    void badArguments_areRefused() {
        assertThatThrownBy(() -> store.failAbandoned(t0, STALE, " ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.recordProgress(VideoIds.newId(), ETAG, 100, t0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.recordProgress(VideoIds.newId(), ETAG, -1, t0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claimProcessing("../x", ETAG, t0, STALE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claimProcessing(VideoIds.newId(), " ", t0, STALE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.markFailed(VideoIds.newId(), ETAG, " ", t0)).isInstanceOf(IllegalArgumentException.class);
    }
}
