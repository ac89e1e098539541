package io.reel.media;

import io.reel.core.domain.VideoIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
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
    private final S3Client s3;
    private final String mediaBucket;
    private final String uploadsBucket;
    private final boolean batchDeletes;

    /**
     * @param batchDeletes DeleteObjects (up to 1,000 keys a request; AWS), or one DeleteObject per key (S3Proxy
     *                     answers the SDK's DeleteObjects with 501, gaul/s3proxy#962)
     */
    MediaObjects(S3Client s3, String mediaBucket, String uploadsBucket, boolean batchDeletes) {
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
        try (ResponseInputStream<GetObjectResponse> object = s3.getObject(r -> r.bucket(mediaBucket).key(key))) {
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
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
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
            var response = s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(List.copyOf(batch)).quiet(true)));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                throw new IllegalStateException("S3 refused to delete " + response.errors().size() + " objects of " + bucket
                        + ", first: " + response.errors().get(0).key() + " (" + response.errors().get(0).code() + ")");
            }
        } else {
            batch.forEach(id -> s3.deleteObject(r -> r.bucket(bucket).key(id.key())));
        }
        int count = batch.size();
        batch.clear();
        return count;
    }
}
