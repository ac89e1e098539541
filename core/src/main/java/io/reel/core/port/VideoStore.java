package io.reel.core.port;

import io.reel.core.domain.Page;
import io.reel.core.domain.Video;
import io.reel.core.domain.Rendition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Videos} table. Listings take a {@code cursor} (null for the first page, otherwise a {@link Page#nextCursor()}
 * this store issued; anything else fails with {@link io.reel.core.domain.InvalidCursorException}) and a {@code limit}
 * from 1 to 100 (otherwise {@link IllegalArgumentException}).
 */
public interface VideoStore {
    /**
     * Creates the video; fails with {@link AlreadyExistsException} if the id is taken, and with
     * {@link IllegalArgumentException} if it is not one of {@link io.reel.core.domain.VideoIds}.
     */
    void create(Video video);

    Optional<Video> find(String videoId);

    /** READY videos, newest first. */
    Page<Video> listReady(String cursor, int limit);

    /** An owner's videos of every status, newest first. */
    Page<Video> listByOwner(String ownerId, String cursor, int limit);

    /** Sets title and description if the video exists; the updated video, or empty if there is none. */
    Optional<Video> updateDetails(String videoId, String title, String description, Instant updatedAt);

    /** Removes the item; false if there was none. */
    boolean delete(String videoId);

    /** What {@link #claimProcessing} found. */
    enum Claim {
        /** The caller now owns the processing of this upload (attempt number in {@link ClaimResult#attempt()}). */
        CLAIMED,
        /** Another delivery of the same upload is being processed right now: do nothing. */
        IN_PROGRESS,
        /** This upload was already processed (READY or FAILED), or the video waits for another: do nothing. */
        SETTLED,
        /** No such video (deleted, or never created): do nothing. */
        NOT_FOUND
    }

    /** @param attempt 1 for the first claim of an upload, counting up on every re-claim after a released or stale one */
    record ClaimResult(Claim claim, int attempt) {
    }

    /**
     * Claims the processing of the uploaded object {@code sourceETag} of a video, so that redelivered or concurrent
     * events produce one set of outputs: AWAITING_UPLOAD → PROCESSING (attempt 1); or, for the same eTag, PROCESSING
     * whose claim was released or is older than {@code staleAfter} (a crashed or timed-out attempt) → a new attempt.
     */
    ClaimResult claimProcessing(String videoId, String sourceETag, Instant now, Duration staleAfter);

    /**
     * Records how far the processing of this eTag has got (0–99 %), for the uploader to see; false (and nothing
     * written) if the video is no longer PROCESSING this eTag.
     */
    boolean recordProgress(String videoId, String sourceETag, int percent, Instant now);

    /**
     * The split path (issue #16): records that chunk {@code chunk} of this eTag's processing is encoded, once however
     * often it is retried, and renews the claim (a long video's work is alive while its chunks finish).
     *
     * @return how many distinct chunks are done, or -1 (nothing written) if the video is no longer PROCESSING this eTag
     */
    int recordChunkDone(String videoId, String sourceETag, int chunk, Instant now);

    /**
     * As {@link #recordProgress}, but never lowering the figure (parallel tasks finish in any order), and renewing the
     * claim as {@link #recordChunkDone} does; false if nothing was written.
     */
    boolean recordProgressAtLeast(String videoId, String sourceETag, int percent, Instant now);

    /**
     * FAILED with {@code reason} for videos whose processing was abandoned: PROCESSING under a claim taken more than
     * {@code staleAfter} ago (longer than the function can run, so its holder is gone: a crash, an out-of-memory kill,
     * a timeout) that no delivery came back for. Released claims, waiting for Lambda's retry, are left alone. At most
     * {@code max} videos per call; each only if its claim is still the one seen (no race with a re-claim).
     *
     * @return how many videos were failed
     */
    default int failAbandoned(Instant now, Duration staleAfter, String reason, int max) {
        return failAbandoned(now, staleAfter, reason, max, java.util.Set.of());
    }

    /**
     * As {@link #failAbandoned(Instant, Duration, String, int)}, leaving {@code spared} alone: the videos whose
     * upload the caller is about to process again (a redelivery of a killed attempt's event takes its stale claim over
     * and finishes the work instead of failing it).
     */
    int failAbandoned(Instant now, Duration staleAfter, String reason, int max, java.util.Set<String> spared);

    /** Lets a retry of the same upload claim it at once (after a transient failure); no-op if the claim is gone. */
    void releaseClaim(String videoId, String sourceETag);

    /** The outputs of a finished processing. */
    record Outputs(Duration duration, int width, int height, List<Rendition> renditions, String posterKey,
                   String storyboardKey) {
        public Outputs {
            renditions = List.copyOf(renditions);
        }
    }

    /** PROCESSING (this eTag) → READY with the outputs; false if the video is gone or no longer processing this upload. */
    boolean markReady(String videoId, String sourceETag, Outputs outputs, Instant now);

    /**
     * → FAILED with a reason a person can read, from AWAITING_UPLOAD or from PROCESSING of this eTag; false if the
     * video is gone, already settled, or processing another upload.
     */
    boolean markFailed(String videoId, String sourceETag, String reason, Instant now);
}
