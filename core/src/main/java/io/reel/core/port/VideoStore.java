package io.reel.core.port;

import io.reel.core.domain.Page;
import io.reel.core.domain.Video;
import java.time.Instant;
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
}
