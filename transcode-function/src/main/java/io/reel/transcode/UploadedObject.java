package io.reel.transcode;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import io.reel.core.domain.VideoIds;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object S3 says was created in the uploads bucket, when it is a video's upload: the key
 * {@code uploads/{videoId}/source} that the media function hands out (S3 sends keys URL-encoded, {@code +} for a
 * space; they are decoded first). Anything else written to the bucket is not ours to process, and neither is a record
 * without a well-formed bucket name: reading its object could only fail, the same way on every retry.
 */
record UploadedObject(String bucket, String key, String videoId, String eTag, long size) {
    private static final Pattern UPLOAD_KEY = Pattern.compile("uploads/([a-z2-7]{" + VideoIds.LENGTH + "})/source");
    /** S3's rule for bucket names: 3 to 63 lower-case letters, digits, dots and hyphens, a letter or digit at each end. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    static Optional<UploadedObject> from(S3EventNotificationRecord record) {
        if (record == null || record.getS3() == null || record.getS3().getObject() == null || record.getS3().getBucket() == null
                || record.getEventName() == null || !record.getEventName().startsWith("ObjectCreated:")) {
            return Optional.empty();
        }
        String bucket = record.getS3().getBucket().getName();
        if (bucket == null || !BUCKET_NAME.matcher(bucket).matches()) {
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
        if (matcher == null || !matcher.matches() || !VideoIds.isValid(matcher.group(1)) || !isETag(eTag)) {
            return Optional.empty();
        }
        long size = object.getSizeAsLong() == null ? -1 : object.getSizeAsLong();
        return Optional.of(new UploadedObject(bucket, key, matcher.group(1), eTag, size));
    }

    /**
     * An eTag S3 could have sent (hex digits, {@code -} and a part count for a multipart upload): printable ASCII, at most
     * 256 characters. It goes into the download's {@code If-Match} header, where anything else is refused by S3 (or by
     * the SDK) on every attempt.
     */
    private static boolean isETag(String eTag) {
        return eTag != null && !eTag.isEmpty() && eTag.length() <= 256 && eTag.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }
}
