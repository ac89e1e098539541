package io.reel.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceNamerTest {

    @Test
    void plain_dropsTheTypeSuffix() {
        assertThat(ResourceNamer.plain().table("UsersTable")).isEqualTo("Users");
        assertThat(ResourceNamer.plain().bucket("UploadsBucket")).isEqualTo("uploads");
    }

    @Test
    void withSuffix_makesValidBucketNames() {
        var namer = ResourceNamer.withSuffix("My_Test.Class-12");

        assertThat(namer.table("VideosTable")).isEqualTo("Videos-My_Test.Class-12");
        assertThat(namer.bucket("MediaBucket")).isEqualTo("media-my-test-class-12").matches("[a-z0-9-]{3,63}");
        assertThat(ResourceNamer.withSuffix("x".repeat(80)).bucket("MediaBucket")).hasSize(63);
    }
}
