package io.reel.devserver.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class S3TriggerTest {

    @Test
    void matches_appliesEventPatternPrefixAndSuffix() {
        var trigger = new S3Trigger("Fn", "Bucket", List.of("s3:ObjectCreated:*"), "uploads/", ".mp4");

        assertThat(trigger.matches("ObjectCreated:Put", "uploads/a.mp4")).isTrue();
        assertThat(trigger.matches("ObjectCreated:CompleteMultipartUpload", "uploads/a.mp4")).isTrue();
        assertThat(trigger.matches("ObjectCreated:Put", "uploads/a.mov")).isFalse();
        assertThat(trigger.matches("ObjectCreated:Put", "other/a.mp4")).isFalse();
        assertThat(trigger.matches("ObjectRemoved:Delete", "uploads/a.mp4")).isFalse();
    }

    @Test
    void matches_exactEventName() {
        var trigger = new S3Trigger("Fn", "Bucket", List.of("s3:ObjectCreated:Put"), null, null);

        assertThat(trigger.matches("ObjectCreated:Put", "x")).isTrue();
        assertThat(trigger.matches("ObjectCreated:Copy", "x")).isFalse();
    }

    @Test
    void isBinary_followsBinaryMediaTypes() {
        var api = new ApiDef("Api", "prod", List.of("image/*", "application/octet-stream"), java.util.Map.of());

        assertThat(api.isBinary("image/png")).isTrue();
        assertThat(api.isBinary("application/octet-stream; charset=binary")).isTrue();
        assertThat(api.isBinary("application/json")).isFalse();
        assertThat(api.isBinary(null)).isFalse();
    }
}
