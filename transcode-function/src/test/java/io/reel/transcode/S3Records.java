package io.reel.transcode;

import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3BucketEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3Entity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3ObjectEntity;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.UserIdentityEntity;
import io.reel.core.domain.VideoIds;
import io.reel.fuzz.Hostile;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * S3 {@code ObjectCreated} records for the fuzz tests, described by a {@link Spec} (so a try's input reads as what it
 * is) and built as the Lambda runtime builds them: the event name, the bucket and the object entity, each possibly
 * missing; keys that are an upload's, near misses of one (upper case, other prefixes, extra segments) and URL-encoded
 * variants (S3 sends keys encoded, {@code +} for a space) including malformed escapes; sizes from none to huge; eTags
 * from none to hostile.
 */
final class S3Records {
    /** Which video a well-formed key names: one that is waiting for its upload, a settled one, or one that does not exist. */
    enum Video { AWAITING, SETTLED, UNKNOWN }

    /**
     * What a record is made of. {@code keyTemplate} holds {@code {id}} where the chosen video's id goes.
     */
    record Spec(String eventName, String bucket, boolean bucketEntity, boolean objectEntity, Video video, String keyTemplate,
                Long size, String eTag) {
        S3EventNotificationRecord build(String realBucket, Supplier<String> awaiting, Supplier<String> settled) {
            String id = switch (video) {
                case AWAITING -> awaiting.get();
                case SETTLED -> settled.get();
                case UNKNOWN -> "abcdefghijklmnopqrstuvwxyz";
            };
            String key = keyTemplate == null ? null : keyTemplate.replace("{id}", id);
            String bucketName = "{real}".equals(bucket) ? realBucket : bucket;
            S3BucketEntity bucketEntity = this.bucketEntity
                    ? new S3BucketEntity(bucketName, new UserIdentityEntity("A1"), "arn:aws:s3:::" + bucketName) : null;
            S3ObjectEntity object = objectEntity ? new S3ObjectEntity(key, size, eTag, null, "0055AED6DCD90281E5") : null;
            return new S3EventNotificationRecord("eu-west-1", eventName, "aws:s3", "2031-05-04T12:00:00.000Z", "2.1", null, null,
                    new S3Entity("upload-created", bucketEntity, object, "1.0"), new UserIdentityEntity("AWS:AIDA"));
        }
    }

    private static final java.util.regex.Pattern WELL_FORMED_BUCKET = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private S3Records() {
    }

    static Arbitrary<Spec> specs() {
        Arbitrary<String> eventName = Arbitraries.frequency(Tuple.of(12, "ObjectCreated:Put"),
                Tuple.of(3, "ObjectCreated:CompleteMultipartUpload"), Tuple.of(1, "ObjectCreated:Copy"),
                Tuple.of(1, "ObjectCreated:Post"), Tuple.of(1, "ObjectRemoved:Delete"), Tuple.of(1, (String) null),
                Tuple.of(1, ""), Tuple.of(1, "objectcreated:put"), Tuple.of(1, "ObjectCreated"), Tuple.of(1, "ObjectCreated:\u0000"));
        // The bucket S3 names is ours or malformed (missing, empty, not a bucket name). A well-formed name of a bucket
        // that does not exist cannot come from our bucket's trigger; reading from it fails like any outage, and is retried.
        Arbitrary<String> bucket = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("{real}")),
                Tuple.of(1, Arbitraries.just((String) null)), Tuple.of(1, Arbitraries.of("", " ", "ab", "Reel-Uploads", "-ab", "ab-", "a b c")),
                Tuple.of(1, Hostile.strings().filter(name -> !WELL_FORMED_BUCKET.matcher(name).matches())));
        Arbitrary<String> keyTemplate = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just("uploads/{id}/source")),
                Tuple.of(4, Arbitraries.of("uploads%2F{id}%2Fsource", "uploads/{id}/source+", "uploads/{id}/source%20",
                        "uploads/{id}/Source", "Uploads/{id}/source", "uploads/{id}/source/", "uploads//{id}/source",
                        "uploads/{id}/../{id}/source", "videos/{id}/source", "uploads/{id}", "uploads/{id}/source.mp4",
                        "uploads/{id}x/source", "/uploads/{id}/source", "uploads/%zz/source", "uploads/{id}/source%", "%",
                        "uploads/{id}/sour%63e", "uploads/%7Bid%7D/source", "uploads/{id}/source\u0000", "", "uploads/",
                        "uploads/ABCDEFGHIJKLMNOPQRSTUVWXYZ/source", "uploads/abcdefghijklmnopqrstuvwxy1/source",
                        "uploads/аbcdefghijklmnopqrstuvwxyz/source")),
                Tuple.of(1, Arbitraries.just((String) null)),
                Tuple.of(2, Hostile.strings()),
                Tuple.of(1, Hostile.strings().map(s -> "uploads/{id}/" + s)));
        Arbitrary<Long> size = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.longs().between(1, 10L << 20)),
                Tuple.of(1, Arbitraries.just((Long) null)),
                Tuple.of(2, Arbitraries.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, (5L << 30) + 1, 5L << 40, 1L)));
        Arbitrary<String> eTag = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.strings().withChars("0123456789abcdef").ofLength(32)),
                Tuple.of(2, Arbitraries.of("d41d8cd98f00b204e9800998ecf8427e-44", "\"d41d8cd98f00b204e9800998ecf8427e\"")),
                Tuple.of(1, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("", " ", "x".repeat(256), "x".repeat(257), "*", "W/\"x\"", "a\r\nX-Amz-Evil: 1",
                        "\u0000", "é", "\ud800")),
                Tuple.of(2, Hostile.strings()));
        Arbitrary<Video> video = Arbitraries.frequency(Tuple.of(3, Video.AWAITING), Tuple.of(2, Video.SETTLED),
                Tuple.of(3, Video.UNKNOWN));
        Arbitrary<Boolean> usually = Arbitraries.frequency(Tuple.of(20, true), Tuple.of(1, false));
        return Combinators.combine(eventName, bucket, usually, usually, video, keyTemplate, size, eTag).as(Spec::new);
    }

    /** A record's specs, one to three. */
    static Arbitrary<List<Spec>> events() {
        return specs().list().ofMinSize(1).ofMaxSize(3);
    }

    /** Whether the id in a well-formed key is a video id at all (for the unit property's expectations). */
    static boolean isId(String id) {
        return VideoIds.isValid(id);
    }
}
