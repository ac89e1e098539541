package io.reel.media;

import io.reel.core.domain.Page;
import io.reel.core.domain.Video;
import io.reel.core.port.VideoStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The media function's memory of READY videos, for {@code ttl} ({@code VIDEO_CACHE_TTL}, 10 s by default; 0 turns it
 * off), and of the catalogue's first page, for {@code catalogueTtl} ({@code CATALOGUE_CACHE_TTL}, 2 s; 0 turns it off).
 * Watching a video reads its row for the page, the playback URLs and every progress save, and every visit to the home
 * page reads the same first page; a READY row changes only when its owner or an admin edits or deletes it, through this
 * function. So:
 * <ul>
 *   <li>only READY videos are kept: an uploader waiting for processing always sees the current status (and their own
 *       listing, {@code owner=me}, is never cached, nor any page after the first);</li>
 *   <li>an edit or delete through this instance is seen by it at once (every write forgets the video and the first
 *       pages, and a read that overlapped any write is not kept);</li>
 *   <li>other instances (AWS runs several) see it within {@code ttl}; a video that has just become READY (the transcoder
 *       writes that) is in the catalogue within {@code catalogueTtl}. A signed media URL outlives both anyway (it is
 *       valid for the video's length and a margin, and CloudFront may serve from its cache until then).</li>
 * </ul>
 * At most {@link #MAX_ENTRIES} videos are kept; past that, expired ones are dropped first.
 */
final class ReadyVideoCache implements VideoStore {
    static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
    static final Duration DEFAULT_CATALOGUE_TTL = Duration.ofSeconds(2);
    static final int MAX_ENTRIES = 10_000;

    private final VideoStore store;
    private final long ttlNanos;
    private final long catalogueTtlNanos;
    private final LongSupplier nanoTime;
    private final int maxEntries;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** The catalogue's first page, by its limit (1 to 100). */
    private final Map<Integer, FirstPage> firstPages = new ConcurrentHashMap<>();
    /** Counts writes: a read that saw it change may have read a row from before the write, and is not kept. */
    private final AtomicLong writes = new AtomicLong();

    private record Entry(Video video, long expiresAtNanos) {
    }

    private record FirstPage(Page<Video> page, long expiresAtNanos) {
    }

    ReadyVideoCache(VideoStore store, Duration ttl, Duration catalogueTtl, LongSupplier nanoTime) {
        this(store, ttl, catalogueTtl, nanoTime, MAX_ENTRIES);
    }

    ReadyVideoCache(VideoStore store, Duration ttl, Duration catalogueTtl, LongSupplier nanoTime, int maxEntries) {
        if (ttl.isNegative() || catalogueTtl.isNegative()) {
            throw new IllegalArgumentException("A cache lifetime cannot be negative: " + (ttl.isNegative() ? ttl : catalogueTtl));
        }
        this.store = store;
        this.ttlNanos = ttl.toNanos();
        this.catalogueTtlNanos = catalogueTtl.toNanos();
        this.nanoTime = nanoTime;
        this.maxEntries = maxEntries;
    }

    /** The store itself when both lifetimes are zero. */
    static VideoStore around(VideoStore store, Duration ttl, Duration catalogueTtl) {
        return ttl.isZero() && catalogueTtl.isZero() ? store : new ReadyVideoCache(store, ttl, catalogueTtl, System::nanoTime);
    }

    @Override
    public Optional<Video> find(String videoId) {
        if (ttlNanos == 0) {
            return store.find(videoId);
        }
        long now = nanoTime.getAsLong();
        Entry cached = entries.get(videoId);
        if (cached != null && cached.expiresAtNanos - now > 0) {
            return Optional.of(cached.video);
        }
        long writesBefore = writes.get();
        Optional<Video> found = store.find(videoId);
        if (found.isPresent() && found.get().isReady()) {
            if (entries.size() >= maxEntries) {
                makeRoom(now);
            }
            Entry entry = new Entry(found.get(), now + ttlNanos);
            entries.put(videoId, entry);
            // A write that ended while the row was being read may have been forgotten before this put: undo it.
            if (writes.get() != writesBefore) {
                entries.remove(videoId, entry);
            }
        } else if (cached != null) {
            entries.remove(videoId, cached);
        }
        return found;
    }

    private void makeRoom(long now) {
        entries.values().removeIf(e -> e.expiresAtNanos - now <= 0);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
    }

    /** How many videos are held now (expired ones included until they are read or pushed out). */
    int size() {
        return entries.size();
    }

    /** Runs a write, then forgets the video and the first pages, whether the write succeeded or not. */
    private <T> T writing(String videoId, Supplier<T> write) {
        try {
            return write.get();
        } finally {
            forget(videoId);
        }
    }

    private void forget(String videoId) {
        writes.incrementAndGet();
        entries.remove(videoId);
        firstPages.clear();
    }

    @Override
    public void create(Video video) {
        writing(video.videoId(), () -> {
            store.create(video);
            return null;
        });
    }

    @Override
    public Page<Video> listReady(String cursor, int limit) {
        if (cursor != null || catalogueTtlNanos == 0 || limit < 1 || limit > MediaRoutes.MAX_LIMIT) {
            return store.listReady(cursor, limit);
        }
        long now = nanoTime.getAsLong();
        FirstPage cached = firstPages.get(limit);
        if (cached != null && cached.expiresAtNanos - now > 0) {
            return cached.page;
        }
        long writesBefore = writes.get();
        Page<Video> page = store.listReady(null, limit);
        FirstPage kept = new FirstPage(page, now + catalogueTtlNanos);
        firstPages.put(limit, kept);
        if (writes.get() != writesBefore) {
            firstPages.remove(limit, kept);
        }
        return page;
    }

    @Override
    public Page<Video> listByOwner(String ownerId, String cursor, int limit) {
        return store.listByOwner(ownerId, cursor, limit);
    }

    @Override
    public Optional<Video> updateDetails(String videoId, String title, String description, Instant updatedAt) {
        return writing(videoId, () -> store.updateDetails(videoId, title, description, updatedAt));
    }

    @Override
    public boolean delete(String videoId) {
        return writing(videoId, () -> store.delete(videoId));
    }

    @Override
    public ClaimResult claimProcessing(String videoId, String sourceETag, Instant now, Duration staleAfter) {
        return writing(videoId, () -> store.claimProcessing(videoId, sourceETag, now, staleAfter));
    }

    @Override
    public boolean recordProgress(String videoId, String sourceETag, int percent, Instant now) {
        return writing(videoId, () -> store.recordProgress(videoId, sourceETag, percent, now));
    }

    @Override
    public int recordChunkDone(String videoId, String sourceETag, int chunk, Instant now) {
        return writing(videoId, () -> store.recordChunkDone(videoId, sourceETag, chunk, now));
    }

    @Override
    public boolean recordProgressAtLeast(String videoId, String sourceETag, int percent, Instant now) {
        return writing(videoId, () -> store.recordProgressAtLeast(videoId, sourceETag, percent, now));
    }

    @Override
    public int failAbandoned(Instant now, Duration staleAfter, String reason, int max, Set<String> spared) {
        try {
            return store.failAbandoned(now, staleAfter, reason, max, spared);
        } finally {
            writes.incrementAndGet();
            entries.clear(); // which videos it failed is not known here; READY ones are never among them
            firstPages.clear();
        }
    }

    @Override
    public void releaseClaim(String videoId, String sourceETag) {
        writing(videoId, () -> {
            store.releaseClaim(videoId, sourceETag);
            return null;
        });
    }

    @Override
    public boolean markReady(String videoId, String sourceETag, Outputs outputs, Instant now) {
        return writing(videoId, () -> store.markReady(videoId, sourceETag, outputs, now));
    }

    @Override
    public boolean markFailed(String videoId, String sourceETag, String reason, Instant now) {
        return writing(videoId, () -> store.markFailed(videoId, sourceETag, reason, now));
    }
}
