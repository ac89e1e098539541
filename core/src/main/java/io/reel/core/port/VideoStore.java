package io.reel.core.port;

import io.reel.core.domain.Page;
import io.reel.core.domain.Video;
import java.util.Optional;

/** The {@code Videos} table. */
public interface VideoStore {
    /** Creates the video; fails with {@link AlreadyExistsException} if the id is taken. */
    void create(Video video);

    Optional<Video> find(String videoId);

    /** READY videos, newest first. */
    Page<Video> listReady(String cursor, int limit);
}
