package io.reel.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.fuzz.FuzzStats;
import io.reel.fuzz.FuzzTarget;
import java.util.Optional;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Fuzzes {@link UploadedObject#from}, the transcode function's reading of an S3 record ({@link S3Records}): any record,
 * whatever is missing or malformed in it, is either an upload the function can process - an {@code ObjectCreated}
 * event, a bucket to read from, the key {@code uploads/{id}/source} of a well-formed id, a usable eTag - or nothing
 * (logged and skipped); it never throws, since an exception would fail the whole event and make Lambda retry it.
 */
class UploadedObjectFuzzTest {
    private static final Pattern UPLOAD_KEY = Pattern.compile("uploads/[a-z2-7]{26}/source");
    private static final String BUCKET = "reel-uploads-bucket";

    @Property
    @FuzzTarget(value = "s3-record", tries = 1000)
    void aRecord_isAnUploadOrNothing_neverAnException(@ForAll("records") S3Records.Spec spec) {
        var record = spec.build(BUCKET, () -> "k7t3v4x2m5n6p2r7sqawbecdfg", () -> "mzxw6ytboi2dcmrtgq3tmnzyhe");
        Optional<UploadedObject> upload = UploadedObject.from(record);
        FuzzStats.outcome(upload.isPresent() ? "upload" : "ignored");
        if (upload.isEmpty()) {
            return;
        }
        UploadedObject object = upload.get();
        assertThat(record.getEventName()).startsWith("ObjectCreated:");
        assertThat(object.key()).matches(UPLOAD_KEY);
        assertThat(object.key()).isEqualTo("uploads/" + object.videoId() + "/source");
        assertThat(S3Records.isId(object.videoId())).isTrue();
        assertThat(object.eTag()).isNotBlank().hasSizeLessThanOrEqualTo(256);
        assertThat(object.bucket()).as("a bucket to read the upload from").isNotBlank();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<S3Records.Spec> records() {
        return S3Records.specs();
    }
}
