package io.reel.core.port;

import java.time.Duration;
import java.util.Optional;

/** Where each viewer stopped in each video, so playback resumes there on any device. */
public interface PlaybackPositionStore {
    /** Records the position (last write wins). */
    void save(String userId, String videoId, Duration position);

    Optional<Duration> find(String userId, String videoId);
}
