package io.reel.core.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A row of the {@code Videos} table. Fields the pipeline has not produced yet are null (or empty).
 *
 * @param failureReason when FAILED, a sentence a person can read ("no video stream found")
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
        Instant updatedAt) {

    public Video {
        Objects.requireNonNull(videoId, "videoId");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
    }

    public boolean isReady() {
        return status == VideoStatus.READY;
    }
}
