package io.reel.core.domain;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param nextCursor an opaque cursor for the next page, or null on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }
}
