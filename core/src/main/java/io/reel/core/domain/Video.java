package io.reel.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A row of the {@code Videos} table. Fields the pipeline has not produced yet are null (or empty).
 *
 * @param failureReason     when FAILED, a sentence a person can read ("no video stream found")
 * @param processingPercent while PROCESSING, how far the transcoder has got (0–99), or null before it reports
 */
public record Video(
        String videoId,
        String ownerId,
        String title,
        String description,
        VideoStatus status,
        String failureReason,
        Duration duration,
        int width,
        int height,
        List<Rendition> renditions,
        String posterKey,
        String storyboardKey,
        Instant createdAt,
        Instant updatedAt,
        Integer processingPercent) {

    public Video {
        Objects.requireNonNull(videoId, "videoId");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
    }

    /** A video without progress to report (every state but a PROCESSING the transcoder has reported on). */
    public Video(String videoId, String ownerId, String title, String description, VideoStatus status, String failureReason,
                 Duration duration, int width, int height, List<Rendition> renditions, String posterKey, String storyboardKey,
                 Instant createdAt, Instant updatedAt) {
        this(videoId, ownerId, title, description, status, failureReason, duration, width, height, renditions, posterKey,
                storyboardKey, createdAt, updatedAt, null);
    }

    public boolean isReady() {
        return status == VideoStatus.READY;
    }
}
