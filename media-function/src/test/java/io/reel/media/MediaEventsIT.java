package io.reel.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.reel.core.Json;
import io.reel.core.aws.DynamoDbVideoStore;
import io.reel.core.domain.Rendition;
import io.reel.core.domain.Video;
import io.reel.core.domain.VideoStatus;
import io.reel.localaws.junit.AwsTestResources;
import io.reel.localaws.junit.LocalAwsExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every events/media-*.json sample, sent as Lambda sends it (the file's bytes to the stream entry point), reaches the handler and gets the answer it
 * documents (never a 5xx). The samples' video exists here, owned by the samples' uploader; the delete runs last.
 */
@ExtendWith(LocalAwsExtension.class)
class MediaEventsIT {
    private static final String SAMPLE_VIDEO = "k7t3v4x2m5n6p2r7sqawbecdfg";

    @TempDir
    Path keys;

    @Test
    void everySample_isAnsweredAsDocumented(AwsTestResources aws) throws Exception {
        var handler = new MediaHandler(aws.env(Map.of("REEL_LOCAL_KEYS_DIR", keys.toString())));
        Instant now = Instant.now();
        new DynamoDbVideoStore(aws.dynamoDb(), aws.table("VideosTable")).create(new Video(SAMPLE_VIDEO, "u-456", "Sample",
                null, VideoStatus.READY, null, Duration.ofMinutes(20), 1280, 720, List.of(new Rendition("720p",
                Rendition.Kind.MP4, 1280, 720, 3000, "videos/" + SAMPLE_VIDEO + "/mp4/720p.mp4")), null, null, now, now));
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("../events"))) {
            samples = files.filter(f -> f.getFileName().toString().matches("media-.*\\.json"))
                    .sorted(Comparator.comparing((Path f) -> f.getFileName().toString().equals("media-delete-video.json"))
                            .thenComparing(Path::toString))
                    .toList();
        }
        Map<String, Integer> expected = Map.ofEntries(
                Map.entry("media-list-videos.json", 200), Map.entry("media-my-videos.json", 200),
                Map.entry("media-get-video.json", 200), Map.entry("media-get-video-bad-id.json", 404),
                Map.entry("media-edit-video.json", 200), Map.entry("media-playback.json", 200),
                Map.entry("media-save-progress.json", 204),
                // The samples hold a placeholder where a playback token goes.
                Map.entry("media-hls-playlist.json", 403), Map.entry("media-storyboard.json", 403),
                Map.entry("media-upload-start.json", 201),
                // The sample video is READY, not awaiting an upload.
                Map.entry("media-upload-complete.json", 409), Map.entry("media-upload-abort.json", 409),
                Map.entry("media-delete-video.json", 204));
        assertThat(samples).extracting(f -> f.getFileName().toString()).containsExactlyInAnyOrderElementsOf(expected.keySet());

        for (Path sample : samples) {
            String name = sample.getFileName().toString();
            var out = new java.io.ByteArrayOutputStream();
            handler.handleRequest(new java.io.ByteArrayInputStream(Files.readAllBytes(sample)), out, null);
            var response = Json.mapper().readTree(out.toByteArray());
            assertThat(response.path("statusCode").asInt()).as(name + ": " + response).isEqualTo(expected.get(name));
        }
    }
}
