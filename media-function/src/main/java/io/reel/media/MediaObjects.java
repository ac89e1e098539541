package io.reel.media;

import io.reel.core.domain.VideoIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A video's objects: its outputs under {@code videos/{id}/} in the media bucket and its upload under
 * {@code uploads/{id}/} in the uploads bucket. Keys are derived from the server's id only.
 */
final class MediaObjects {
    private final Supplier<S3Client> s3;
    private final String mediaBucket;
    private final String uploadsBucket;
    private final boolean batchDeletes;

    /**
     * @param batchDeletes DeleteObjects (up to 1,000 keys a request; AWS), or one DeleteObject per key (S3Proxy
     *                     answers the SDK's DeleteObjects with 501, gaul/s3proxy#962)
     */
    /** @param s3 the client, made on first use (the catalogue routes never need it) */
    MediaObjects(Supplier<S3Client> s3, String mediaBucket, String uploadsBucket, boolean batchDeletes) {
        this.s3 = s3;
        this.mediaBucket = mediaBucket;
        this.uploadsBucket = uploadsBucket;
        this.batchDeletes = batchDeletes;
    }

    static String uploadPrefix(String videoId) {
        if (!VideoIds.isValid(videoId)) {
            throw new IllegalArgumentException("Not a video id");
        }
        return "uploads/" + videoId + "/";
    }

    /**
     * A small text object of the media bucket (a playlist, a WebVTT file): empty if there is none; fails with
     * {@link IllegalStateException} if it is larger than {@code maxBytes} (the function would not serve it whole).
     */
    Optional<String> readMediaText(String key, int maxBytes) {
        String kept = texts.get(key);
        if (kept != null) {
            return Optional.of(kept);
        }
        Optional<String> text = readMediaTextFromS3(key, maxBytes);
        text.ifPresent(found -> texts.put(key, found));
        return text;
    }

    /**
     * Playlists and cue files as read, for {@link #TEXT_TTL}: a transcode writes them once, before the video is READY,
     * and they are never changed after (a new upload is a new video), so re-reading them for every player is pure
     * cost (an S3 GET per playlist request). The TTL bounds how long a deleted video's playlist text can outlive it
     * here (its segments are gone at once); the size bounds memory (at most {@link #TEXT_CACHE_CHARS} characters).
     */
    static final java.time.Duration TEXT_TTL = java.time.Duration.ofSeconds(60);
    static final int TEXT_CACHE_CHARS = 8 * 1024 * 1024;
    private final TextCache texts = new TextCache(TEXT_CACHE_CHARS, TEXT_TTL);

    /** A small LRU of texts by key, each kept for a fixed time, bounded by total characters. */
    static final class TextCache {
        private record Entry(String text, long expiresAtNanos) {
        }

        private final long maxChars;
        private final long ttlNanos;
        private final java.util.LinkedHashMap<String, Entry> entries = new java.util.LinkedHashMap<>(64, 0.75f, true);
        private long chars;

        TextCache(long maxChars, java.time.Duration ttl) {
            this.maxChars = maxChars;
            this.ttlNanos = ttl.toNanos();
        }

        synchronized String get(String key) {
            Entry entry = entries.get(key);
            if (entry == null) {
                return null;
            }
            if (System.nanoTime() - entry.expiresAtNanos() >= 0) {
                remove(key);
                return null;
            }
            return entry.text();
        }

        synchronized void put(String key, String text) {
            if (text.length() > maxChars / 4) {
                return; // a huge one would push out everything else
            }
            remove(key);
            entries.put(key, new Entry(text, System.nanoTime() + ttlNanos));
            chars += text.length();
            var eldest = entries.entrySet().iterator();
            while (chars > maxChars && eldest.hasNext()) {
                chars -= eldest.next().getValue().text().length();
                eldest.remove();
            }
        }

        private void remove(String key) {
            Entry gone = entries.remove(key);
            if (gone != null) {
                chars -= gone.text().length();
            }
        }
    }

    private Optional<String> readMediaTextFromS3(String key, int maxBytes) {
        try (ResponseInputStream<GetObjectResponse> object = s3.get().getObject(r -> r.bucket(mediaBucket).key(key))) {
            Long size = object.response().contentLength();
            if (size != null && size > maxBytes) {
                object.abort();
                throw new IllegalStateException(key + " is " + size + " bytes, more than the " + maxBytes + " served");
            }
            byte[] bytes = object.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IllegalStateException(key + " is more than the " + maxBytes + " bytes served");
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (NoSuchKeyException absent) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + key, e);
        }
    }

    /** Deletes every object of the video in both buckets; how many. */
    int deleteAll(String videoId) {
        return deleteUnder(mediaBucket, VideoIds.mediaPrefix(videoId)) + deleteUnder(uploadsBucket, uploadPrefix(videoId));
    }

    private int deleteUnder(String bucket, String prefix) {
        int deleted = 0;
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : s3.get().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
            batch.add(ObjectIdentifier.builder().key(object.key()).build());
            if (batch.size() == 1_000) {
                deleted += deleteBatch(bucket, batch);
            }
        }
        if (!batch.isEmpty()) {
            deleted += deleteBatch(bucket, batch);
        }
        return deleted;
    }

    private int deleteBatch(String bucket, List<ObjectIdentifier> batch) {
        if (batchDeletes) {
            var response = s3.get().deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(List.copyOf(batch)).quiet(true)));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                throw new IllegalStateException("S3 refused to delete " + response.errors().size() + " objects of " + bucket
                        + ", first: " + response.errors().get(0).key() + " (" + response.errors().get(0).code() + ")");
            }
        } else {
            batch.forEach(id -> s3.get().deleteObject(r -> r.bucket(bucket).key(id.key())));
        }
        int count = batch.size();
        batch.clear();
        return count;
    }
}
