package io.reel.media;

import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoStatus;
import java.util.List;

/**
 * A video as the API shows it: no object keys (clients get signed URLs, never keys; a catalogue card's poster comes
 * signed in {@code posterUrl}, so a page of cards needs no playback call each), and the status and failure reason (and
 * the transcoder's progress) only where the caller owns the video (or is an admin), since others see READY videos only.
 */
record VideoView(String videoId, String title, String description, String status, String failureReason,
                 Integer processingPercent, Double durationSeconds, String posterUrl, Integer width, Integer height,
                 List<RenditionView> renditions, boolean hasPoster, boolean hasStoryboard, String createdAt, String updatedAt) {

    record RenditionView(String name, String kind, int width, int height, int bitrateKbps) {
        static RenditionView of(Rendition r) {
            return new RenditionView(r.name(), r.kind().name(), r.width(), r.height(), r.bitrateKbps());
        }
    }

    /** @param posterUrl the poster's signed URL ({@link Playback#posterUrl}), null when there is none */
    static VideoView of(Video v, boolean privileged, String posterUrl) {
        return new VideoView(v.videoId(), v.title(), v.description(), v.status().name(),
                privileged ? v.failureReason() : null,
                privileged && v.status() == VideoStatus.PROCESSING ? v.processingPercent() : null,
                v.duration() == null ? null : v.duration().toMillis() / 1000.0, posterUrl,
                v.width() > 0 ? v.width() : null, v.height() > 0 ? v.height() : null,
                v.renditions().stream().map(RenditionView::of).toList(),
                v.posterKey() != null, v.storyboardKey() != null, v.createdAt().toString(), v.updatedAt().toString());
    }
}
