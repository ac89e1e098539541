package io.reel.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UploadedObjectTest {
    private static final String KEY = "uploads/k7t3v4x2m5n6p2r7sqawbecdfg/source";

    private static S3EventNotificationRecord record(String bucket) {
        return record(bucket, "d41d8cd98f00b204e9800998ecf8427e");
    }

    private static S3EventNotificationRecord record(String bucket, String eTag) {
        return new S3EventNotificationRecord("eu-west-1", "ObjectCreated:Put", "aws:s3", null, "2.1", null, null,
                new S3Entity("c", new S3BucketEntity(bucket, null, null), new S3ObjectEntity(KEY, 10L, eTag, null, null), "1.0"), null);
    }

    @Test
    void anUploadInAWellNamedBucket_isOne() {
        assertThat(UploadedObject.from(record("reel-uploadsbucket-1a2b3c"))).get()
                .satisfies(upload -> assertThat(upload.bucket()).isEqualTo("reel-uploadsbucket-1a2b3c"))
                .satisfies(upload -> assertThat(upload.videoId()).isEqualTo("k7t3v4x2m5n6p2r7sqawbecdfg"));
    }

    /**
     * Found by UploadedObjectFuzzTest and TranscodeHandlerFuzzIT: a record without a bucket name was taken for an upload,
     * and reading it threw SdkClientException ("Parameter 'Bucket' must not be null") out of the handler, so Lambda
     * retried an event that can only fail again.
     */
    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "ab", "Reel-Uploads", "-uploads", "uploads-", "a b", "\u0000", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void aRecordWithoutAWellFormedBucketName_isNoUpload(String bucket) {
        assertThat(UploadedObject.from(record(bucket))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"d41d8cd98f00b204e9800998ecf8427e-44", "\"d41d8cd98f00b204e9800998ecf8427e\""})
    void anETagS3CouldSend_isKept(String eTag) {
        assertThat(UploadedObject.from(record("reel-uploads", eTag))).get().extracting(UploadedObject::eTag).isEqualTo(eTag);
    }

    /**
     * Found by TranscodeHandlerFuzzIT: an eTag with a character outside printable ASCII went into the download's
     * If-Match header, S3 answered 403, and the handler threw, so Lambda retried an event that can only fail again.
     */
    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\ufffd", "caf\u00e9", "a b", "a\r\nX-Evil: 1", "\u0000", "\ud800"})
    void anETagS3CouldNotSend_isNoUpload(String eTag) {
        assertThat(UploadedObject.from(record("reel-uploads", eTag))).isEmpty();
    }
}
