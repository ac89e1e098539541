package io.reel.transcode;

import io.reel.core.log.JsonLog;
import io.reel.core.port.VideoStore;
import io.reel.core.port.VideoStore.ClaimResult;
import io.reel.core.port.VideoStore.Outputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Processes one uploaded object, exactly once per upload however often S3 delivers its event:
 * <ol>
 * <li>claim the video for this object's eTag ({@link VideoStore#claimProcessing}); a redelivery, a concurrent
 * delivery or an already-settled video ends here quietly; an object whose video no longer exists is deleted;</li>
 * <li>download the object into a folder of this attempt's own, check its size, and hand it to the
 * {@link MediaPipeline} (probe, validate, encode, publish);</li>
 * <li>READY with the outputs, or FAILED with the pipeline's reason.</li>
 * </ol>
 * A transient failure (S3 or DynamoDB throttling, a timeout, a local I/O error) releases the claim and propagates so
 * Lambda retries the event; on the last attempt the video is FAILED first, then the failure propagates so the event
 * reaches the function's on-failure destination. The video never stays PROCESSING: a crashed attempt's claim goes
 * stale after the function's timeout and the next delivery claims it again. The work folder is removed in every path.
 */
final class Transcoder {
    private static final JsonLog LOG = JsonLog.create(Transcoder.class);

    /**
     * @param staleClaimAfter a claim older than this belongs to a dead attempt (the function's timeout and a margin)
     * @param maxAttempts     Lambda's attempts of one asynchronous event (1 + its retries, 2 by default)
     * @param maxSourceBytes  the largest upload processed (the media function refuses larger ones up front)
     * @param workRoot        where attempts make their folders ({@code /tmp} in Lambda)
     * @param progressEvery   the least time between two progress writes to the video
     */
    record Settings(Duration staleClaimAfter, int maxAttempts, long maxSourceBytes, Path workRoot, Duration progressEvery) {
        Settings(Duration staleClaimAfter, int maxAttempts, long maxSourceBytes, Path workRoot) {
            this(staleClaimAfter, maxAttempts, maxSourceBytes, workRoot, Duration.ofSeconds(5));
        }
    }

    private final VideoStore videos;
    private final S3Client s3;
    private final MediaPipeline pipeline;
    private final Settings settings;
    private final Clock clock;

    Transcoder(VideoStore videos, S3Client s3, MediaPipeline pipeline, Settings settings, Clock clock) {
        this.videos = videos;
        this.s3 = s3;
        this.pipeline = pipeline;
        this.settings = settings;
        this.clock = clock;
    }

    /** What an abandoned video's uploader reads. */
    static final String ABANDONED = "Processing stopped unexpectedly and could not be resumed. Please upload the video again.";
    /** Videos failed per sweep, so a sweep never delays the upload being processed for long. */
    static final int SWEEP_LIMIT = 25;

    /**
     * Fails videos whose processing was abandoned (a crashed, killed or timed-out attempt that no delivery came back
     * for: Lambda's retries find its claim still young and leave it), so no video stays PROCESSING for ever. Run at the
     * start of every invocation; never fails it.
     *
     * @return how many were failed
     */
    int sweepAbandoned() {
        return sweepAbandoned(java.util.Set.of());
    }

    /** As {@link #sweepAbandoned()}, sparing the videos this invocation is about to process (their claims it takes over). */
    int sweepAbandoned(java.util.Set<String> spared) {
        try {
            int failed = videos.failAbandoned(clock.instant(), settings.staleClaimAfter(), ABANDONED, SWEEP_LIMIT, spared);
            if (failed > 0) {
                LOG.warn("transcode.abandoned_failed", Map.of("videos", failed));
            }
            return failed;
        } catch (RuntimeException e) {
            LOG.error("transcode.sweep_failed", Map.of(), e);
            return 0;
        }
    }

    /** What became of one delivery; for logs and tests. */
    enum Outcome { READY, FAILED, SKIPPED, SPLIT }

    Outcome process(UploadedObject upload, Instant deadline) {
        String id = upload.videoId();
        ClaimResult claim = videos.claimProcessing(id, upload.eTag(), clock.instant(), settings.staleClaimAfter());
        if (claim.claim() != VideoStore.Claim.CLAIMED) {
            LOG.info("transcode.skipped", Map.of("videoId", id, "claim", claim.claim().name()));
            if (claim.claim() == VideoStore.Claim.NOT_FOUND) {
                deleteOrphan(upload);
            }
            return Outcome.SKIPPED;
        }
        LOG.info("transcode.claimed", Map.of("videoId", id, "attempt", claim.attempt(), "bytes", upload.size()));
        Path work = null;
        try {
            work = Files.createTempDirectory(Files.createDirectories(settings.workRoot()), "reel-" + id + "-");
            Path source = download(upload, work);
            MediaPipeline.Result result = pipeline.process(upload, claim.attempt(), source, work, deadline,
                    progressRecorder(id, upload.eTag()));
            if (result instanceof MediaPipeline.HandedOver handedOver) {
                LOG.info("transcode.handed_over", Map.of("videoId", id, "execution", handedOver.execution(),
                        "chunks", handedOver.chunks()));
                return Outcome.SPLIT;
            }
            Outputs outputs = ((MediaPipeline.Finished) result).outputs();
            if (!videos.markReady(id, upload.eTag(), outputs, clock.instant())) {
                LOG.info("transcode.settled_meanwhile", Map.of("videoId", id));
                return Outcome.SKIPPED;
            }
            LOG.info("transcode.ready", Map.of("videoId", id, "renditions", outputs.renditions().size()));
            return Outcome.READY;
        } catch (RejectedInputException rejected) {
            LOG.info("transcode.rejected", Map.of("videoId", id, "reason", rejected.reason()));
            videos.markFailed(id, upload.eTag(), rejected.reason(), clock.instant());
            return Outcome.FAILED;
        } catch (IOException | RuntimeException transientFailure) {
            if (claim.attempt() >= settings.maxAttempts()) {
                LOG.error("transcode.gave_up", Map.of("videoId", id, "attempt", claim.attempt()), transientFailure);
                videos.markFailed(id, upload.eTag(), "Processing failed " + claim.attempt()
                        + " times for a reason on our side; please upload the video again.", clock.instant());
            } else {
                LOG.error("transcode.will_retry", Map.of("videoId", id, "attempt", claim.attempt()), transientFailure);
                videos.releaseClaim(id, upload.eTag());
            }
            throw transientFailure instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) transientFailure;
        } finally {
            deleteQuietly(work);
        }
    }

    /**
     * Writes the pipeline's progress to the video, at most every {@link Settings#progressEvery()} and only when it grew,
     * so a long encode costs a few dozen small writes. A failed write is logged and forgotten: progress is a courtesy
     * to the uploader, never a reason to fail the work.
     */
    private IntConsumer progressRecorder(String videoId, String eTag) {
        return new IntConsumer() {
            private int recorded = -1;
            private Instant last = Instant.MIN;

            @Override
            public synchronized void accept(int percent) {
                Instant now = clock.instant();
                int bounded = Math.max(0, Math.min(99, percent));
                if (bounded <= recorded || now.isBefore(last.plus(settings.progressEvery()))) {
                    return;
                }
                try {
                    videos.recordProgress(videoId, eTag, bounded, now);
                    recorded = bounded;
                    last = now;
                } catch (RuntimeException e) {
                    LOG.error("transcode.progress_not_recorded", Map.of("videoId", videoId, "percent", bounded), e);
                    last = now; // try again later, not on every frame
                }
            }
        };
    }

    /**
     * An object for a video that no longer exists: a presigned PUT used after its upload was cancelled or the video
     * deleted (S3 cannot revoke a presigned URL before it expires). Nobody can see or process it, so it goes.
     */
    private void deleteOrphan(UploadedObject upload) {
        try {
            s3.deleteObject(r -> r.bucket(upload.bucket()).key(upload.key()));
            LOG.info("transcode.orphan_deleted", Map.of("videoId", upload.videoId(), "key", upload.key()));
        } catch (S3Exception e) {
            // The bucket's lifecycle rule removes it later; nothing the uploader waits for depends on it.
            LOG.warn("transcode.orphan_delete_failed", Map.of("key", upload.key(), "status", e.statusCode()));
        }
    }

    private Path download(UploadedObject upload, Path work) throws RejectedInputException {
        if (upload.size() > settings.maxSourceBytes()) {
            throw new RejectedInputException("The file is larger than the " + humanBytes(settings.maxSourceBytes())
                    + " allowed.");
        }
        Path source = work.resolve("source");
        try {
            s3.getObject(r -> r.bucket(upload.bucket()).key(upload.key()).ifMatch(upload.eTag()), source);
        } catch (NoSuchKeyException gone) {
            throw new RejectedInputException("The uploaded file is gone; please upload the video again.", gone);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                // Replaced since the event: that newer object's own event does the work.
                throw new RejectedInputException("The uploaded file was replaced while it was being processed.", e);
            }
            throw e;
        }
        try {
            long size = Files.size(source);
            if (size > settings.maxSourceBytes()) {
                throw new RejectedInputException("The file is larger than the " + humanBytes(settings.maxSourceBytes()) + " allowed.");
            }
            if (size == 0) {
                throw new RejectedInputException("The file is empty.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return source;
    }

    static String humanBytes(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20) {
            return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
        }
        return bytes + " bytes";
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.error("transcode.cleanup_failed", Map.of("path", path.toString()), e);
                }
            });
        } catch (IOException e) {
            LOG.error("transcode.cleanup_failed", Map.of("path", folder.toString()), e);
        }
    }
}
