package io.reel.core.domain;

import java.util.Objects;

/**
 * One encoded output of a video.
 *
 * @param kind {@code HLS} for a variant playlist of the ladder, {@code MP4} for a progressive file
 * @param key the object key in the media bucket (under {@code videos/{videoId}/})
 */
public record Rendition(String name, Kind kind, int width, int height, int bitrateKbps, String key) {
    public Rendition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
    }

    /** How a rendition is played. */
    public enum Kind {
        HLS,
        MP4
    }
}
