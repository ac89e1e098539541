package io.reel.transcode;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import io.reel.core.domain.VideoIds;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object S3 says was created in the uploads bucket, when it is a video's upload: the key
 * {@code uploads/{videoId}/source} that the media function hands out (S3 sends keys URL-encoded, {@code +} for a
 * space; they are decoded first). Anything else written to the bucket is not ours to process.
 */
record UploadedObject(String bucket, String key, String videoId, String eTag, long size) {
    private static final Pattern UPLOAD_KEY = Pattern.compile("uploads/([a-z2-7]{" + VideoIds.LENGTH + "})/source");

    static Optional<UploadedObject> from(S3EventNotificationRecord record) {
        if (record == null || record.getS3() == null || record.getS3().getObject() == null || record.getS3().getBucket() == null
                || record.getEventName() == null || !record.getEventName().startsWith("ObjectCreated:")) {
            return Optional.empty();
        }
        var object = record.getS3().getObject();
        String key;
        try {
            key = object.getUrlDecodedKey();
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        Matcher matcher = key == null ? null : UPLOAD_KEY.matcher(key);
        String eTag = object.geteTag();
        if (matcher == null || !matcher.matches() || !VideoIds.isValid(matcher.group(1)) || eTag == null || eTag.isBlank()
                || eTag.length() > 256) {
            return Optional.empty();
        }
        long size = object.getSizeAsLong() == null ? -1 : object.getSizeAsLong();
        return Optional.of(new UploadedObject(record.getS3().getBucket().getName(), key, matcher.group(1), eTag, size));
    }
}
